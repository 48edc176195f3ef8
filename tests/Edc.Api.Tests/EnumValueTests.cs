using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// A value an enum does not have is refused by binding, before any validator runs: its 400 is still a field error, keyed
/// as the client wrote the field, and names the values the field takes.
/// </summary>
public sealed class EnumValueTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task QueryParameter_WhenNotAValueOfItsEnum_Returns400NamingTheValues()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var response = await admin.GetAsync($"/api/trials/{trialId}/participants?status=Sleeping");

        var errors = await FieldErrorsAsync(response);
        var message = Assert.Single(errors.GetProperty("status").EnumerateArray()).GetString();
        Assert.Contains("Screening, ScreenFailed, Enrolled, Randomized, Withdrawn, Completed", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ExpeditedReportWorklist_WhenAskedForSentReports_Returns400NamingTheTwoStatusesItHolds()
    {
        // The worklist holds only reports not yet sent: its status takes Due and Overdue, and its OpenAPI says so.
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var response = await admin.GetAsync($"/api/trials/{trialId}/expedited-reports?status=OnTime");

        var errors = await FieldErrorsAsync(response);
        var message = Assert.Single(errors.GetProperty("status").EnumerateArray()).GetString();
        Assert.Contains("Due, Overdue", message, StringComparison.Ordinal);
        Assert.DoesNotContain("Late", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyField_WhenNotAValueOfItsEnum_Returns400NamingTheValues()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var response = await admin.PostAsJsonAsync(
            $"/api/trials/{trialId}/adverse-events/{Guid.NewGuid()}/expedited-reports", new { recipient = "Nobody", sentAt = "2026-01-01T00:00:00Z" });

        var errors = await FieldErrorsAsync(response);
        Assert.Equal("The value is not one of: Sponsor, Regulator.", Assert.Single(errors.GetProperty("recipient").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task BodyField_WhenANumber_Returns400NamingTheValues()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var response = await admin.PostAsJsonAsync(
            $"/api/trials/{trialId}/adverse-events/{Guid.NewGuid()}/expedited-reports", new { recipient = 0, sentAt = "2026-01-01T00:00:00Z" });

        var errors = await FieldErrorsAsync(response);
        Assert.Equal("The value is not one of: Sponsor, Regulator.", Assert.Single(errors.GetProperty("recipient").EnumerateArray()).GetString());
    }

    [Fact]
    public async Task BodyListItem_WhenNotAValueOfItsEnum_Returns400NamingTheItemAndTheValues()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, await admin.DemoSiteIdAsync());

        var response = await coordinator.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{Guid.NewGuid()}/adverse-events", new { term = "Rash", seriousnessCriteria = new[] { "Death", "Boredom" } });

        var errors = await FieldErrorsAsync(response);
        var message = Assert.Single(errors.GetProperty("seriousnessCriteria[1]").EnumerateArray()).GetString();
        Assert.Contains("Death, LifeThreatening, Hospitalization", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task BodyField_WhenOfAnotherJsonType_StillSaysOnlyThatItIsNotValid()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var response = await admin.PostAsJsonAsync(
            $"/api/trials/{trialId}/adverse-events/{Guid.NewGuid()}/expedited-reports", new { recipient = "Sponsor", sentAt = "yesterday" });

        var errors = await FieldErrorsAsync(response);
        Assert.Equal("The value is not valid JSON of the expected type.", Assert.Single(errors.GetProperty("sentAt").EnumerateArray()).GetString());
    }

    private static async Task<System.Text.Json.JsonElement> FieldErrorsAsync(HttpResponseMessage response)
    {
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var problem = await response.JsonAsync();
        Assert.Equal("urn:edc:problem:validation", problem.GetProperty("type").GetString());
        return problem.GetProperty("errors");
    }
}

using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class ParticipantFlowTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Register_Enroll_Randomize_FollowsTheContract()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        await statistician.CreateListAsync(trialId);

        var registered = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants", new { siteId });
        Assert.Equal(HttpStatusCode.Created, registered.StatusCode);
        var created = await registered.JsonAsync();
        Assert.Equal("Screening", created.GetProperty("status").GetString());
        Assert.StartsWith("HSS-", created.GetProperty("screeningNumber").GetString(), StringComparison.Ordinal);
        var participantId = created.GetProperty("id").GetGuid();

        var enrolled = await coordinator.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/enrollment",
            new { consentDate = "2026-01-15", eligibility = await coordinator.EligibleAnswersAsync(trialId), strata = new { } });
        Assert.Equal(HttpStatusCode.OK, enrolled.StatusCode);
        Assert.Equal("Enrolled", (await enrolled.JsonAsync()).GetProperty("status").GetString());

        var randomized = await coordinator.RandomizeAsync(trialId, participantId);
        Assert.Equal(HttpStatusCode.OK, randomized.StatusCode);
        var allocation = await randomized.JsonAsync();
        Assert.Equal("01-0001", allocation.GetProperty("randomizationNumber").GetString());
        Assert.StartsWith("K", allocation.GetProperty("kitNumber").GetString(), StringComparison.Ordinal);

        var again = await coordinator.RandomizeAsync(trialId, participantId);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("AlreadyRandomized", (await again.JsonAsync()).GetProperty("rule").GetString());

        var view = await coordinator.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}");
        Assert.Equal("Randomized", view.GetProperty("status").GetString());
        Assert.False(view.TryGetProperty("arm", out _));
        var pharmacist = await api.ClientForNewUserAsync(admin, "Pharmacist", siteId);
        var pharmacistView = await pharmacist.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}");
        Assert.Contains(pharmacistView.GetProperty("arm").GetProperty("code").GetString(), new[] { "BEL", "PBO" });
    }

    [Fact]
    public async Task Enroll_WhenACriterionFails_Returns409NamingItAndScreenFails()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", await admin.DemoSiteIdAsync());
        var participantId = await coordinator.RegisterAsync(trialId, await admin.DemoSiteIdAsync());
        var answers = await coordinator.EligibleAnswersAsync(trialId);
        answers["INC_AGE"] = false;
        answers["EXC_PREDNISONE"] = true;

        var response = await coordinator.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/enrollment", new { consentDate = "2026-01-15", eligibility = answers });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        var failed = (await response.JsonAsync()).GetProperty("failedCriteria").EnumerateArray().Select(c => c.GetString()).ToList();
        Assert.Equal(["INC_AGE", "EXC_PREDNISONE"], failed);
        var view = await coordinator.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}");
        Assert.Equal("ScreenFailed", view.GetProperty("status").GetString());
    }
}

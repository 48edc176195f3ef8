using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Domain.Security;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// A trial of its own with distinctive arm names (<see cref="DistinctiveTrial"/>), sites A and B, a coordinator and an
/// investigator at each and a randomization list: what the adverse event tests start from.
/// </summary>
public sealed record SafetyTrial(
    EdcApiFactory Api,
    HttpClient Admin,
    DistinctiveTrial.Created Trial,
    Guid SiteA,
    Guid SiteB,
    HttpClient CoordinatorA,
    HttpClient InvestigatorA,
    HttpClient CoordinatorB,
    HttpClient InvestigatorB,
    Guid CoordinatorAId,
    Guid InvestigatorAId,
    Guid InvestigatorBId)
{
    public Guid TrialId => Trial.Id;

    public string AdverseEvents => $"/api/trials/{Trial.Id}/adverse-events";

    public string AdverseEvent(Guid id) => $"{AdverseEvents}/{id}";

    public string ExpeditedReports => $"/api/trials/{Trial.Id}/expedited-reports";

    public string ReportsOf(Guid adverseEventId) => $"{AdverseEvent(adverseEventId)}/expedited-reports";

    public string Participant(Guid participantId) => $"/api/trials/{Trial.Id}/participants/{participantId}";

    public string NewEventOf(Guid participantId) => $"{Participant(participantId)}/adverse-events";

    public static async Task<SafetyTrial> CreateAsync(EdcApiFactory api)
    {
        var admin = await api.AdminAsync();
        var suffix = Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["SA" + suffix, "SB" + suffix]);
        var siteA = trial.Sites["SA" + suffix];
        var siteB = trial.Sites["SB" + suffix];
        await (await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician)).CreateListAsync(trial.Id, slotsPerStratum: 200);
        var (coordinatorAId, coordinatorA) = await UserAsync(api, admin, Roles.Coordinator, siteA);
        var (investigatorAId, investigatorA) = await UserAsync(api, admin, Roles.Investigator, siteA);
        var (_, coordinatorB) = await UserAsync(api, admin, Roles.Coordinator, siteB);
        var (investigatorBId, investigatorB) = await UserAsync(api, admin, Roles.Investigator, siteB);
        return new SafetyTrial(api, admin, trial, siteA, siteB, coordinatorA, investigatorA, coordinatorB, investigatorB, coordinatorAId, investigatorAId, investigatorBId);
    }

    /// <summary>A randomized participant at site A (or B), consent 2026-01-15.</summary>
    public Task<Guid> RandomizedAsync(bool atSiteB = false) =>
        DistinctiveTrial.ParticipantAsync(atSiteB ? CoordinatorB : CoordinatorA, Trial.Id, atSiteB ? SiteB : SiteA, "limited");

    /// <summary>Records an adverse event (201 expected) and answers its id.</summary>
    public async Task<Guid> RecordAsync(Guid participantId, Dictionary<string, object?> form, HttpClient? client = null)
    {
        var response = await (client ?? CoordinatorA).PostAsJsonAsync(NewEventOf(participantId), form);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Revises an adverse event from its current version (200 expected) and answers the view.</summary>
    public async Task<JsonElement> ReviseAsync(Guid adverseEventId, Dictionary<string, object?> form, HttpClient? client = null)
    {
        var current = await (client ?? CoordinatorA).GetAsync(AdverseEvent(adverseEventId));
        var response = await (client ?? CoordinatorA).PutWithIfMatchAsync(AdverseEvent(adverseEventId), form, TestData.ETagOf(current));
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private static async Task<(Guid Id, HttpClient Client)> UserAsync(EdcApiFactory api, HttpClient admin, string role, Guid siteId)
    {
        var (id, email) = await admin.CreateUserAsync([role], siteId);
        return (id, await api.LoginAsync(email, TestData.UserPassword));
    }
}

/// <summary>Adverse event forms as a client sends them; each starts consistent and takes overrides (null removes a field).</summary>
public static class AdverseEventForms
{
    public static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    /// <summary>Grade 1, not serious, not related, ongoing, onset two days ago; no awareness given (the time of entry).</summary>
    public static Dictionary<string, object?> Mild(params (string Field, object? Value)[] overrides) => With(
        new Dictionary<string, object?>
        {
            ["term"] = "Headache",
            ["onsetDate"] = Today.AddDays(-2),
            ["ongoing"] = true,
            ["grade"] = 1,
            ["serious"] = false,
            ["seriousnessCriteria"] = Array.Empty<string>(),
            ["relatedness"] = "NotRelated",
            ["expected"] = true,
            ["actionTaken"] = "DoseNotChanged",
            ["outcome"] = "NotRecovered",
        },
        overrides);

    /// <summary>Grade 3, serious (hospitalization), not related: an SAE that is not a SUSAR.</summary>
    public static Dictionary<string, object?> Serious(params (string Field, object? Value)[] overrides) =>
        With(Mild(("term", "Pneumonia"), ("grade", 3), ("serious", true), ("seriousnessCriteria", new[] { "Hospitalization" })), overrides);

    /// <summary>Serious, probably related and unexpected, neither fatal nor life-threatening: a 15-day SUSAR.</summary>
    public static Dictionary<string, object?> Susar(params (string Field, object? Value)[] overrides) =>
        With(Serious(("term", "Interstitial lung disease"), ("relatedness", "Probable"), ("expected", false)), overrides);

    /// <summary>Grade 5 with the Death criterion and outcome Fatal, ended yesterday; not related.</summary>
    public static Dictionary<string, object?> Fatal(params (string Field, object? Value)[] overrides) =>
        With(Serious(
            ("term", "Sudden cardiac death"), ("grade", 5), ("seriousnessCriteria", new[] { "Death" }), ("outcome", "Fatal"), ("ongoing", false),
            ("endDate", Today.AddDays(-1))), overrides);

    public static Dictionary<string, object?> With(Dictionary<string, object?> form, params (string Field, object? Value)[] overrides)
    {
        var copy = new Dictionary<string, object?>(form, StringComparer.Ordinal);
        foreach (var (field, value) in overrides)
        {
            if (value is null)
            {
                copy.Remove(field);
            }
            else
            {
                copy[field] = value;
            }
        }

        return copy;
    }
}

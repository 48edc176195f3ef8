using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// The system's queries, on the demonstration trial's vital signs (VS: WEIGHT expected 40 to 150 kg, every item but the
/// calculated dose required): one per item out of its soft range, raised once and closed by the system when corrected;
/// one per required item still blank when the visit is completed.
/// </summary>
public sealed class AutomaticQueryTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly JsonSerializerOptions AsWritten = new();

    private static string Vs(RandomizedParticipant p) => $"{p.Path}/visits/D0/forms/VS";

    private static Dictionary<string, object?> Vitals(decimal weight, decimal? temp = 36.8m, int pulse = 72) => new()
    {
        ["WEIGHT"] = weight,
        ["SYSBP"] = 120,
        ["DIABP"] = 80,
        ["PULSE"] = pulse,
        ["TEMP"] = temp,
    };

    private static async Task<HttpResponseMessage> SaveAsync(RandomizedParticipant p, Dictionary<string, object?> values)
    {
        var current = await p.Coordinator.GetAsync(Vs(p));
        var etag = TestData.ETagOf(current);
        var response = await p.Coordinator.PutWithIfMatchAsync(Vs(p), new { values, reason = etag is null ? null : "Corrected from the source" }, etag, AsWritten);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return response;
    }

    private static async Task<List<JsonElement>> QueriesAsync(RandomizedParticipant p, string? status = null) =>
        [.. (await p.Coordinator.GetJsonAsync($"/api/trials/{p.TrialId}/queries?participantId={p.ParticipantId}&pageSize=200" + (status is null ? "" : "&status=" + status)))
            .GetProperty("items").EnumerateArray()];

    private static async Task<JsonElement> ThreadAsync(RandomizedParticipant p, JsonElement query) =>
        await p.Coordinator.GetJsonAsync($"/api/trials/{p.TrialId}/queries/{query.GetProperty("id").GetGuid()}");

    [Fact]
    public async Task SavingAValueOutsideItsSoftRange_RaisesOneSystemQuery_NotAgainOnTheNextSave_AndTheSystemClosesItWhenCorrected()
    {
        var p = await api.RandomizedAsync();

        await SaveAsync(p, Vitals(175));
        await SaveAsync(p, Vitals(175, pulse: 75));

        var query = Assert.Single(await QueriesAsync(p));
        Assert.Equal("WEIGHT", query.GetProperty("itemCode").GetString());
        Assert.Equal("SoftRange", query.GetProperty("automatic").GetString());
        Assert.Equal("system", query.GetProperty("raisedBy").GetString());
        Assert.Equal("Open", query.GetProperty("status").GetString());
        Assert.Contains("175", query.GetProperty("text").GetString(), StringComparison.Ordinal);

        await SaveAsync(p, Vitals(80, pulse: 75));

        var thread = await ThreadAsync(p, query);
        Assert.Equal("Closed", thread.GetProperty("status").GetString());
        var closing = thread.GetProperty("messages").EnumerateArray().Last();
        Assert.Equal("system", closing.GetProperty("who").GetString());
        Assert.Equal("Closed", closing.GetProperty("kind").GetString());
        Assert.Contains("from 175 to 80", closing.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Single(await QueriesAsync(p));
    }

    [Fact]
    public async Task AnAutomaticQueryClosedByAPerson_IsNotRaisedAgainForTheSameValue_ButIsForAnotherOneOutOfRange()
    {
        var p = await api.RandomizedAsync();
        var monitor = await api.ClientForNewUserAsync(p.Admin, Roles.Monitor, p.SiteId);
        await SaveAsync(p, Vitals(175));
        var query = Assert.Single(await QueriesAsync(p));
        var closed = await monitor.PostAsJsonAsync($"/api/trials/{p.TrialId}/queries/{query.GetProperty("id").GetGuid()}/close", new { comment = "Confirmed with the source: a heavy participant." });
        Assert.Equal(HttpStatusCode.OK, closed.StatusCode);

        await SaveAsync(p, Vitals(175, pulse: 75));
        Assert.Empty(await QueriesAsync(p, "Open"));

        await SaveAsync(p, Vitals(190, pulse: 75));
        var raisedAgain = Assert.Single(await QueriesAsync(p, "Open"));
        Assert.Contains("190", raisedAgain.GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task CompletingAVisit_RaisesOneMissingRequiredQueryPerBlankRequiredItem_AndTheSystemClosesItOnceGiven()
    {
        var p = await api.RandomizedAsync();
        await SaveAsync(p, Vitals(70, temp: null));

        var completed = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0", new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });
        Assert.True(completed.IsSuccessStatusCode, await completed.Content.ReadAsStringAsync());

        var missing = (await QueriesAsync(p)).Where(q => q.GetProperty("automatic").GetString() == "MissingRequired").ToList();
        var vs = Assert.Single(missing, q => q.GetProperty("formCode").GetString() == "VS");
        Assert.Equal("TEMP", vs.GetProperty("itemCode").GetString());
        // The MRSS, never entered, is asked for once as a whole, not item by item.
        var mrss = Assert.Single(missing, q => q.GetProperty("formCode").GetString() == "MRSS");
        Assert.False(mrss.TryGetProperty("itemCode", out var itemCode) && itemCode.ValueKind != JsonValueKind.Null);
        Assert.DoesNotContain(missing, q => q.GetProperty("itemCode").GetString() == "PREG");
        Assert.DoesNotContain(missing, q => q.GetProperty("formCode").GetString() == "INFUSION");

        await SaveAsync(p, Vitals(70, temp: 37.1m));

        var thread = await ThreadAsync(p, vs);
        Assert.Equal("Closed", thread.GetProperty("status").GetString());
        Assert.Contains("blank → 37.1", thread.GetProperty("messages").EnumerateArray().Last().GetProperty("text").GetString(), StringComparison.Ordinal);
        var forms = await p.Coordinator.GetJsonAsync($"{p.Path}/visits/D0/forms");
        Assert.Equal(0, forms.EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == "VS").GetProperty("openQueries").GetInt32());
        Assert.Equal(1, forms.EnumerateArray().Single(f => f.GetProperty("formCode").GetString() == "MRSS").GetProperty("openQueries").GetInt32());

        // Entered, the MRSS settles its query.
        var scores = new[] { "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
            "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot" }.ToDictionary(a => a, _ => 1);
        var recorded = await p.Coordinator.PutAsJsonAsync(
            $"{p.Path}/visits/D0/mrss", new { assessedOn = DateOnly.FromDateTime(DateTime.UtcNow), assessorName = "Dr A", scores });
        Assert.True(recorded.IsSuccessStatusCode, await recorded.Content.ReadAsStringAsync());
        var mrssThread = await ThreadAsync(p, mrss);
        Assert.Equal("Closed", mrssThread.GetProperty("status").GetString());
        Assert.Contains("now entered", mrssThread.GetProperty("messages").EnumerateArray().Last().GetProperty("text").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnAutomaticQuery_NotifiesTheSitesStaff_AndIsAudited()
    {
        var p = await api.RandomizedAsync();
        var investigator = await api.ClientForNewUserAsync(p.Admin, Roles.Investigator, p.SiteId);

        await SaveAsync(p, Vitals(30.5m));

        var query = Assert.Single(await QueriesAsync(p));
        var notes = (await investigator.GetJsonAsync("/api/notifications?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(notes, n => n.GetProperty("body").GetString()!.Contains("30.5", StringComparison.Ordinal)
            && n.GetProperty("body").GetString()!.Contains("raised by system", StringComparison.Ordinal));
        var trail = await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType=DataQuery&entityId={query.GetProperty("id").GetGuid()}&pageSize=200");
        Assert.NotEmpty(trail.GetProperty("items").EnumerateArray());
    }
}

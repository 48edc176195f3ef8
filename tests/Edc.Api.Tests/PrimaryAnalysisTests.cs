using System.Net;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>The primary analysis over HTTP: who reads it, by arm or by masked group, and what it counts.</summary>
public sealed class PrimaryAnalysisTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private sealed record Setup(
        DistinctiveTrial.Created Trial, HttpClient Admin, HttpClient Statistician, HttpClient Coordinator, IReadOnlyList<Guid> Participants)
    {
        public string Analysis => $"/api/trials/{Trial.Id}/analyses/primary";
    }

    // Four randomized participants with MRSS at D0 and W4 (totals 20 → 10, 22 → 14, 24 → 20, 26 → 24), and a fifth with D0 only.
    private async Task<Setup> TrialWithScoresAsync()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["PA"]);
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites["PA"]);
        var participants = new List<Guid>();
        foreach (var (baseline, final) in new (int, int?)[] { (20, 10), (22, 14), (24, 20), (26, 24), (28, null) })
        {
            var id = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, trial.Sites["PA"], participants.Count % 2 == 0 ? "limited" : "diffuse");
            await coordinator.MrssTotalAsync(trial.Id, id, "D0", baseline);
            if (final is { } total)
            {
                await coordinator.MrssTotalAsync(trial.Id, id, "W4", total);
            }

            participants.Add(id);
        }

        return new Setup(trial, admin, statistician, coordinator, participants);
    }

    private static IEnumerable<string> Groups(JsonElement analysis) => analysis.GetProperty("groups").EnumerateArray().Select(g => g.GetProperty("name").GetString()!);

    [Fact]
    public async Task PrimaryAnalysis_ForTheStatistician_IsByArm_CountsThePopulationAndTheExcluded_AndIsAudited()
    {
        var s = await TrialWithScoresAsync();
        var before = DateTimeOffset.UtcNow.AddSeconds(-1).ToString("O", System.Globalization.CultureInfo.InvariantCulture);

        var analysis = await s.Statistician.GetJsonAsync(s.Analysis);

        Assert.True(analysis.GetProperty("byArm").GetBoolean());
        Assert.Equal([DistinctiveTrial.ActiveName, DistinctiveTrial.PlaceboName], Groups(analysis));
        Assert.Equal("HF6", analysis.GetProperty("quantileMethod").GetString());
        Assert.Equal(("D0", "W4"), (analysis.GetProperty("baselineVisit").GetString(), analysis.GetProperty("finalVisit").GetString()));
        Assert.Equal(4, analysis.GetProperty("population").GetInt32());
        var excluded = analysis.GetProperty("excluded");
        Assert.Equal(1, excluded.GetProperty("count").GetInt32());
        Assert.Equal("W4 not reached yet", excluded.GetProperty("reasons")[0].GetProperty("reason").GetString());
        Assert.Equal(4, analysis.GetProperty("groups").EnumerateArray().Sum(g => g.GetProperty("n").GetInt32()));

        // Each participant counts in their own arm: the groups' sizes are those of the list's allocations with both scores.
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(s.Statistician, s.Trial.Id);
        var active = s.Participants.Take(4).Count(p => armOf[p] == DistinctiveTrial.ActiveCode);
        Assert.Equal(active, analysis.GetProperty("groups")[0].GetProperty("n").GetInt32());

        var audit = await s.Admin.GetJsonAsync($"/api/trials/{s.Trial.Id}/audit?entityType=Trial&from={Uri.EscapeDataString(before)}&pageSize=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), a => a.GetProperty("action").GetString() == "AnalysisRead");
    }

    [Fact]
    public async Task PrimaryAnalysis_ForTheBoardBeforeTheFinalUnblinding_IsByMaskedGroup_AndNamesNoArm()
    {
        var s = await TrialWithScoresAsync();
        var board = await api.ClientForNewUserAsync(s.Admin, Roles.DsmbMember);

        var response = await board.GetAsync(s.Analysis);
        var body = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.DoesNotContain(DistinctiveTrial.ArmStrings, secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase));
        var analysis = JsonDocument.Parse(body).RootElement;
        Assert.False(analysis.GetProperty("byArm").GetBoolean());
        Assert.Equal(["Group A", "Group B"], Groups(analysis));
        Assert.Equal(4, analysis.GetProperty("population").GetInt32());
    }

    [Theory]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Monitor)]
    [InlineData(Roles.DataManager)]
    [InlineData(Roles.Pharmacist)]
    [InlineData(Roles.Admin)]
    public async Task PrimaryAnalysis_ForOtherRolesBeforeTheFinalUnblinding_Returns403(string role)
    {
        var s = await TrialWithScoresAsync();
        var client = role == Roles.Admin ? s.Admin : await api.ClientForNewUserAsync(s.Admin, role, Roles.SiteScoped.Contains(role) ? [s.Trial.Sites["PA"]] : []);

        await (await client.GetAsync(s.Analysis)).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task PrimaryAnalysis_AfterTheFinalUnblinding_IsByArmForEveryone()
    {
        var s = await TrialWithScoresAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.Admin.PostAsync($"/api/trials/{s.Trial.Id}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Statistician.PostAsync($"/api/trials/{s.Trial.Id}/final-unblinding", null)).StatusCode);

        var analysis = await s.Coordinator.GetJsonAsync(s.Analysis);

        Assert.True(analysis.GetProperty("byArm").GetBoolean());
        Assert.Equal([DistinctiveTrial.ActiveName, DistinctiveTrial.PlaceboName], Groups(analysis));
    }

    [Fact]
    public async Task PrimaryAnalysis_ByHF7_NamesTheMethod_AndAnUnknownMethodReturns400()
    {
        var s = await TrialWithScoresAsync();

        Assert.Equal("HF7", (await s.Statistician.GetJsonAsync(s.Analysis + "?quantileMethod=HF7")).GetProperty("quantileMethod").GetString());
        await (await s.Statistician.GetAsync(s.Analysis + "?quantileMethod=SAS5")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }
}

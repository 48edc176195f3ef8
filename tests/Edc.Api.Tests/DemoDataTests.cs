using System.Net;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class DemoDataApiFactory : EdcApiFactory
{
    public DemoDataApiFactory()
    {
        WithSetting("Edc:DemoData:Seed", "true");
    }
}

/// <summary>The run command's <c>--demo-data</c>: a newcomer's first start shows a trial with a year of synthetic data.</summary>
public sealed class DemoDataTests(DemoDataApiFactory api) : IClassFixture<DemoDataApiFactory>
{
    [Fact]
    public async Task DemoData_OnFirstStart_SeedsTwentyParticipantsWithAYearOfData()
    {
        var dsmb = await api.LoginAsync("dsmb@edc.local", EdcApiFactory.AdminPassword);
        var trialId = await TrialIdAsync(dsmb);

        var participants = (await dsmb.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(20, participants.Count);
        var statuses = participants.Select(p => p.GetProperty("status").GetString()).ToList();
        Assert.Contains("Completed", statuses);
        Assert.Contains("Withdrawn", statuses);
        Assert.All(participants, p => Assert.False(p.TryGetProperty("arm", out _)));

        var completed = participants.First(p => p.GetProperty("status").GetString() == "Completed").GetProperty("id").GetGuid();
        var casebook = await dsmb.GetJsonAsync($"/api/trials/{trialId}/participants/{completed}/casebook");
        Assert.All(casebook.GetProperty("visits").EnumerateArray(), v => Assert.Equal("Completed", v.GetProperty("status").GetString()));
        Assert.Equal(6, casebook.GetProperty("mrss").GetArrayLength());

        var events = (await dsmb.GetJsonAsync($"/api/trials/{trialId}/adverse-events?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("susar").GetBoolean());
        Assert.Equal(3, events.Count(e => e.GetProperty("serious").GetBoolean()));

        var summaries = (await dsmb.GetJsonAsync($"/api/trials/{trialId}/safety-summaries")).GetProperty("items").EnumerateArray().ToList();
        var report = await dsmb.GetAsync($"/api/trials/{trialId}/safety-summaries/{Assert.Single(summaries).GetProperty("id").GetGuid()}/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        Assert.Contains("<svg", await report.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoData_ShowsEveryStateAPageCanShow()
    {
        // A newcomer's screens show visits of every status, a casebook's adverse events and who asked for the report.
        var coordinator = await api.LoginAsync("coordinator@edc.local", EdcApiFactory.AdminPassword);
        var trialId = await TrialIdAsync(coordinator);

        var worklist = (await coordinator.GetJsonAsync($"/api/trials/{trialId}/visit-worklist?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var urgencies = worklist.Select(i => i.GetProperty("urgency").GetString()).ToHashSet();
        Assert.Superset(new HashSet<string?> { "Overdue", "Due", "Upcoming" }, urgencies);

        var participants = (await coordinator.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(p => p.GetProperty("id").GetGuid()).ToList();
        var casebooks = new List<JsonElement>();
        foreach (var participant in participants)
        {
            casebooks.Add(await coordinator.GetJsonAsync($"/api/trials/{trialId}/participants/{participant}/casebook"));
        }

        var visits = casebooks.SelectMany(c => c.GetProperty("visits").EnumerateArray()).ToList();
        Assert.Contains(visits, v => v.GetProperty("status").GetString() == "Missed");
        Assert.Contains(visits, v => v.GetProperty("outOfWindow").GetBoolean());
        var events = (await coordinator.GetJsonAsync($"/api/trials/{trialId}/adverse-events?pageSize=1")).GetProperty("total").GetInt32();
        Assert.Equal(events, casebooks.Sum(c => c.GetProperty("adverseEvents").GetArrayLength()));

        var dsmb = await api.LoginAsync("dsmb@edc.local", EdcApiFactory.AdminPassword);
        var summary = (await dsmb.GetJsonAsync($"/api/trials/{trialId}/safety-summaries")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var report = await dsmb.GetStringAsync($"/api/trials/{trialId}/safety-summaries/{summary}/report");
        Assert.Contains("on demand by Safety Board Member (dsmb@edc.local)", report, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DemoData_AccountsForEveryRole_SignInWithTheAdminsPassword()
    {
        foreach (var email in new[] { "coordinator@edc.local", "investigator@edc.local", "dsmb@edc.local", "statistician@edc.local", "pharmacist@edc.local" })
        {
            var client = await api.LoginAsync(email, EdcApiFactory.AdminPassword);
            Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/api/me")).StatusCode);
        }
    }

    [Fact]
    public async Task DemoData_IsAuditedAndTheChainVerifies()
    {
        var admin = await api.AdminAsync();
        var trialId = await TrialIdAsync(admin);
        var audit = await admin.GetJsonAsync($"/api/trials/{trialId}/audit?entityType=AdverseEvent&pageSize=1");
        Assert.True(audit.GetProperty("total").GetInt32() > 0);
        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task DemoData_OnRestart_IsNotSeededAgain()
    {
        await using var restarted = new DemoDataApiFactory().WithConnectionString(api.ConnectionString);
        await restarted.InitializeAsync();
        var admin = await restarted.AdminAsync();
        var trialId = await TrialIdAsync(admin);
        Assert.Equal(20, (await admin.GetJsonAsync($"/api/trials/{trialId}/participants")).GetProperty("total").GetInt32());
    }

    private static async Task<Guid> TrialIdAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/trials")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == EdcApiFactory.DemoTrialCode).GetProperty("id").GetGuid();
}

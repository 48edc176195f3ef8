using System.Globalization;
using System.Net;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Xunit.Abstractions;

namespace Edc.Api.Tests;

public sealed class DemoDataApiFactory : EdcApiFactory
{
    public DemoDataApiFactory()
    {
        WithSetting("Edc:DemoData:Seed", "true");
    }
}

/// <summary>The run command's <c>--demo-data</c>: a newcomer's first start shows a trial with a year of synthetic data.</summary>
public sealed class DemoDataTests(DemoDataApiFactory api, ITestOutputHelper output) : IClassFixture<DemoDataApiFactory>
{
    private const int Participants = 25;
    private const string Belimumab = "Belimumab 10 mg/kg IV + mycophenolate mofetil";
    private const string Placebo = "Placebo (normal saline) IV + mycophenolate mofetil";

    [Fact]
    public async Task DemoData_OnFirstStart_SeedsTwentyFiveParticipants_TwentyOfThemThroughTheirYear()
    {
        var dsmb = await api.LoginAsync("dsmb@edc.local", EdcApiFactory.AdminPassword);
        var trialId = await TrialIdAsync(dsmb);

        var participants = (await dsmb.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(Participants, participants.Count);
        var statuses = participants.CountBy(p => p.GetProperty("status").GetString()!).ToDictionary();
        Assert.Equal(new Dictionary<string, int> { ["Completed"] = 20, ["Withdrawn"] = 1, ["Randomized"] = 4 }, statuses);
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
    public async Task DemoData_FillsTheTrialsFormsAtEveryVisitDone_Completely()
    {
        var coordinator = await api.LoginAsync("coordinator@edc.local", EdcApiFactory.AdminPassword);
        var trialId = await TrialIdAsync(coordinator);
        async Task<List<Dictionary<string, string>>> ExportAsync(string export) => Csv.Records(Csv.Parse(await Csv.ExportAsync(coordinator, trialId, export)));
        var definitions = (await coordinator.GetJsonAsync($"/api/trials/{trialId}")).GetProperty("visitDefinitions").EnumerateArray().ToList();
        var done = (await ExportAsync("visits.csv")).Where(v => v["status"] == "Completed").Select(v => (v["screeningNumber"], v["visitCode"])).ToList();

        // Each visit form at every visit done that collects it, and nowhere else (the last participants' recent visits stay empty).
        var forms = new Dictionary<string, List<Dictionary<string, string>>>(StringComparer.Ordinal);
        foreach (var form in new[] { "DM", "VS", "PFT", "BIOPSY" })
        {
            var collecting = definitions.Where(d => d.GetProperty("forms").EnumerateArray().Any(f => f.GetString() == form)).Select(d => d.GetProperty("code").GetString()).ToHashSet();
            forms[form] = await ExportAsync($"forms/{form}.csv");
            Assert.Equal(
                done.Where(v => collecting.Contains(v.Item2)).Order(),
                forms[form].Select(r => (r["screeningNumber"], r["visitCode"])).Order());
        }

        forms["CM"] = await ExportAsync("forms/CM.csv");
        forms["MH"] = await ExportAsync("forms/MH.csv");
        Assert.All(forms.Values.SelectMany(rows => rows), r => Assert.Equal("Complete", r["status"]));

        // Demographics: mostly women, aged 25 to 70, disease onset within three years of screening.
        var demographics = forms["DM"].ToDictionary(r => r["screeningNumber"], StringComparer.Ordinal);
        Assert.Equal(Participants, demographics.Count);
        Assert.InRange(demographics.Values.Count(r => r["SEX"] == "F"), 15, 22);
        Assert.All(demographics.Values, r =>
        {
            var screened = DateOnly.Parse(r["visitDate"], CultureInfo.InvariantCulture);
            Assert.InRange(screened.Year - int.Parse(r["BIRTHYEAR"], CultureInfo.InvariantCulture), 25, 70);
            Assert.InRange(screened.DayNumber - DateOnly.Parse(r["FIRSTSYMPTOM"], CultureInfo.InvariantCulture).DayNumber, 1, 3 * 365);
        });
        Assert.Contains(demographics.Values, r => r["RNAPOL3"] == "POS");

        // Vital signs: the dose is 10 mg/kg of the day's weight, which stays within a few kilograms; the pregnancy test for women only.
        Assert.All(forms["VS"], r => Assert.Equal(Math.Round(decimal.Parse(r["WEIGHT"], CultureInfo.InvariantCulture) * 10), decimal.Parse(r["DOSE"], CultureInfo.InvariantCulture)));
        Assert.All(forms["VS"].GroupBy(r => r["screeningNumber"]), person =>
            Assert.InRange(person.Max(r => decimal.Parse(r["WEIGHT"], CultureInfo.InvariantCulture)) - person.Min(r => decimal.Parse(r["WEIGHT"], CultureInfo.InvariantCulture)), 0, 8));
        Assert.All(forms["VS"], r => Assert.Equal(demographics[r["screeningNumber"]]["SEX"] == "F", r["PREG"] is "NEG" or "NOTCBP"));
        Assert.InRange(forms["VS"].Count(r => int.Parse(r["SYSBP"], CultureInfo.InvariantCulture) > 160 || decimal.Parse(r["TEMP"], CultureInfo.InvariantCulture) > 38), 1, 3);
        Assert.All(forms["PFT"], r =>
        {
            Assert.InRange(decimal.Parse(r["FVC"], CultureInfo.InvariantCulture), 60, 110);
            Assert.InRange(decimal.Parse(r["DLCO"], CultureInfo.InvariantCulture), 40, 100);
        });
        var notTaken = Assert.Single(forms["BIOPSY"], r => r["TAKEN"] == "false");
        Assert.NotEmpty(notTaken["NOTTAKENREASON"]);
        Assert.All(forms["BIOPSY"].Where(r => r["TAKEN"] == "true"), r => Assert.Equal(("FOREARM", r["visitDate"]), (r["SITE"], r["BIOPSYDATE"])));

        // Logs: mycophenolate titrated to 1,000 mg twice daily and one to three other medications; Raynaud phenomenon before the disease.
        Assert.All(demographics.Keys, participant =>
        {
            var medications = forms["CM"].Where(r => r["screeningNumber"] == participant).ToList();
            Assert.Contains(medications, r => (r["DRUG"], r["DOSE"], r["FREQ"], r["ONGOING"]) == ("Mycophenolate mofetil", "1000", "BID", "true"));
            Assert.InRange(medications.Select(r => r["DRUG"]).Distinct().Count(drug => drug != "Mycophenolate mofetil"), 1, 3);
            var raynaud = Assert.Single(forms["MH"], r => r["screeningNumber"] == participant && r["CONDITION"] == "Raynaud phenomenon");
            Assert.True(
                DateOnly.Parse(raynaud["ONSETDATE"], CultureInfo.InvariantCulture) < DateOnly.Parse(demographics[participant]["FIRSTSYMPTOM"], CultureInfo.InvariantCulture));
        });
    }

    [Fact]
    public async Task DemoData_AccountsForEveryRole_SignInWithTheAdminsPassword()
    {
        foreach (var email in new[] { "coordinator@edc.local", "investigator@edc.local", "dsmb@edc.local", "statistician@edc.local", "pharmacist@edc.local", "monitor@edc.local", "datamanager@edc.local" })
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
        foreach (var entityType in new[] { "AdverseEvent", "FormRecord" })
        {
            var audit = await admin.GetJsonAsync($"/api/trials/{trialId}/audit?entityType={entityType}&pageSize=1");
            Assert.True(audit.GetProperty("total").GetInt32() > 0, entityType);
        }
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
        Assert.Equal(Participants, (await admin.GetJsonAsync($"/api/trials/{trialId}/participants")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task DemoData_LockedAndFinallyUnblinded_GivesThePublishedMediansQuartilesAndAdverseEventCountsOfBothArms()
    {
        // The lock and the final unblinding end the trial for everyone: on a demo of this test's own, the class's stays open and blinded.
        var demo = new DemoDataApiFactory();
        await demo.InitializeAsync();
        try
        {
            var admin = await demo.AdminAsync();
            var trialId = await TrialIdAsync(admin);
            var statistician = await demo.LoginAsync("statistician@edc.local", EdcApiFactory.AdminPassword);
            Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/trials/{trialId}/lock", null)).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await statistician.PostAsync($"/api/trials/{trialId}/final-unblinding", null)).StatusCode);

            var coordinator = await demo.LoginAsync("coordinator@edc.local", EdcApiFactory.AdminPassword);
            var analysis = await coordinator.GetJsonAsync($"/api/trials/{trialId}/analyses/primary");
            output.WriteLine(analysis.ToString());

            Assert.True(analysis.GetProperty("byArm").GetBoolean());
            Assert.Equal(("HF6", "D0", "W52"), (
                analysis.GetProperty("quantileMethod").GetString(), analysis.GetProperty("baselineVisit").GetString(), analysis.GetProperty("finalVisit").GetString()));
            Assert.Equal(20, analysis.GetProperty("population").GetInt32());
            Assert.Equal(
                [("W52 not reached yet", 4), ("Withdrawn before W52", 1)],
                analysis.GetProperty("excluded").GetProperty("reasons").EnumerateArray().Select(r => (r.GetProperty("reason").GetString(), r.GetProperty("count").GetInt32())));

            // Arthritis Rheumatol 2018;70(2): median (IQR) at baseline, at week 52 and of the change; adverse events per arm.
            var groups = analysis.GetProperty("groups").EnumerateArray().ToDictionary(g => g.GetProperty("name").GetString()!, StringComparer.Ordinal);
            Assert.Equal([Belimumab, Placebo], groups.Keys);
            AssertGroup(groups[Belimumab], (27, 26.5, 31), (18, 11, 23), (-10, -13, -9), adverseEvents: 53);
            AssertGroup(groups[Placebo], (28, 22, 28), (21, 14, 25), (-3, -15, -1), adverseEvents: 56);
        }
        finally
        {
            await ((IAsyncLifetime)demo).DisposeAsync();
        }
    }

    private static void AssertGroup(
        JsonElement group, (double, double, double) baseline, (double, double, double) final, (double, double, double) change, int adverseEvents)
    {
        static (double, double, double) Quartiles(JsonElement q) => (q.GetProperty("median").GetDouble(), q.GetProperty("q1").GetDouble(), q.GetProperty("q3").GetDouble());

        Assert.Equal(10, group.GetProperty("n").GetInt32());
        Assert.Equal(baseline, Quartiles(group.GetProperty("baseline")));
        Assert.Equal(final, Quartiles(group.GetProperty("final")));
        Assert.Equal(change, Quartiles(group.GetProperty("change")));
        Assert.Equal(adverseEvents, group.GetProperty("adverseEvents").GetProperty("events").GetInt32());
    }

    private static async Task<Guid> TrialIdAsync(HttpClient client) =>
        (await client.GetJsonAsync("/api/trials")).GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == EdcApiFactory.DemoTrialCode).GetProperty("id").GetGuid();
}

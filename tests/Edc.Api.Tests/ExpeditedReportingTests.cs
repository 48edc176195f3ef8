using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using static Edc.Api.Tests.Infrastructure.AdverseEventForms;

namespace Edc.Api.Tests;

/// <summary>
/// Expedited reporting over HTTP: the sponsor's 24-hour clock of every serious event, the regulators' 7- or 15-day clock
/// of a SUSAR, on time or late once an admin records the report sent, the worklist of reports due and overdue at the
/// caller's sites, and the notification a serious event queues. Awareness is set in the past to reach each state without
/// waiting; timestamps are whole seconds so that deadlines compare exactly after the database round trip.
/// </summary>
public sealed class ExpeditedReportingTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly ConditionalWeakTable<EdcApiFactory, Task<SafetyTrial>> Trials = new();

    private Task<SafetyTrial> TrialAsync() => Trials.GetValue(api, SafetyTrial.CreateAsync);

    /// <summary>Now, to the whole second.</summary>
    private static DateTimeOffset Now
    {
        get
        {
            var now = DateTimeOffset.UtcNow;
            return new DateTimeOffset(now.Year, now.Month, now.Day, now.Hour, now.Minute, now.Second, TimeSpan.Zero);
        }
    }

    // ---- Clocks ----

    [Fact]
    public async Task RecordSeriousEvent_StartsTheSponsorClockDue24HoursAfterAwareness()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-1);

        var view = await RecordAndReadAsync(t, Serious(("awarenessDate", aware)));

        var sponsor = view.GetProperty("sponsorReport");
        Assert.Equal(aware, sponsor.GetProperty("clockStartedAt").GetDateTimeOffset());
        Assert.Equal(aware.AddHours(24), sponsor.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(JsonValueKind.Null, sponsor.GetProperty("sentAt").ValueKind);
        Assert.Equal("Due", sponsor.GetProperty("timeliness").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("regulatorReport").ValueKind);
        Assert.False(view.GetProperty("susar").GetBoolean());
    }

    [Fact]
    public async Task RecordSeriousEvent_WithoutAwareness_StartsTheClockAtTheTimeOfEntry()
    {
        var t = await TrialAsync();
        var before = DateTimeOffset.UtcNow;

        var view = await RecordAndReadAsync(t, Serious());

        var started = view.GetProperty("sponsorReport").GetProperty("clockStartedAt").GetDateTimeOffset();
        Assert.InRange(started, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(started.AddHours(24), view.GetProperty("sponsorReport").GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RecordSeriousEvent_WhenAwareMoreThan24HoursAgo_IsOverdue()
    {
        var t = await TrialAsync();

        var view = await RecordAndReadAsync(t, Serious(("awarenessDate", Now.AddHours(-25))));

        Assert.Equal("Overdue", view.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    [Fact]
    public async Task RecordNonSeriousEvent_HasNoClocksAndIsNotOnTheWorklist()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();

        var id = await t.RecordAsync(participant, Mild(("relatedness", "Definite"), ("expected", false), ("awarenessDate", Now.AddDays(-1))));

        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("sponsorReport").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("regulatorReport").ValueKind);
        Assert.False(view.GetProperty("susar").GetBoolean());
        Assert.DoesNotContain(await WorklistAsync(t.Admin, t, ""), i => i.Id == id);
    }

    [Theory]
    [InlineData("NotRelated", false)]
    [InlineData("Unlikely", false)]
    [InlineData("Possible", true)]
    [InlineData("Probable", true)]
    [InlineData("Definite", true)]
    public async Task RecordSeriousUnexpectedEvent_IsASusarExactlyWhenRelated(string relatedness, bool susar)
    {
        var t = await TrialAsync();

        var view = await RecordAndReadAsync(t, Serious(("relatedness", relatedness), ("expected", false)));

        Assert.Equal(susar, view.GetProperty("susar").GetBoolean());
        Assert.Equal(susar ? JsonValueKind.Object : JsonValueKind.Null, view.GetProperty("regulatorReport").ValueKind);
        Assert.Equal(JsonValueKind.Object, view.GetProperty("sponsorReport").ValueKind);
    }

    [Fact]
    public async Task RecordSeriousRelatedEvent_WhenExpected_IsNoSusar_WhenExpectednessNotGiven_IsOne()
    {
        var t = await TrialAsync();

        var expected = await RecordAndReadAsync(t, Susar(("expected", true)));
        var notAssessed = await RecordAndReadAsync(t, Susar(("expected", null)));

        Assert.False(expected.GetProperty("susar").GetBoolean());
        Assert.Equal(JsonValueKind.Null, expected.GetProperty("regulatorReport").ValueKind);
        Assert.True(notAssessed.GetProperty("susar").GetBoolean());
        Assert.Equal(JsonValueKind.Null, notAssessed.GetProperty("expected").ValueKind);
        Assert.Equal(JsonValueKind.Object, notAssessed.GetProperty("regulatorReport").ValueKind);
    }

    [Fact]
    public async Task RecordSusar_WhenNeitherFatalNorLifeThreatening_IsDueToRegulatorsIn15Days()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-2);

        var view = await RecordAndReadAsync(t, Susar(("awarenessDate", aware)));

        var regulator = view.GetProperty("regulatorReport");
        Assert.True(view.GetProperty("susar").GetBoolean());
        Assert.Equal(aware, regulator.GetProperty("clockStartedAt").GetDateTimeOffset());
        Assert.Equal(aware.AddDays(15), regulator.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("Due", regulator.GetProperty("timeliness").GetString());
        Assert.Equal(aware.AddHours(24), view.GetProperty("sponsorReport").GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RecordSusar_WhenLifeThreatening_IsDueToRegulatorsIn7Days()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-2);

        var view = await RecordAndReadAsync(t, Susar(("grade", 4), ("seriousnessCriteria", new[] { "LifeThreatening" }), ("awarenessDate", aware)));

        Assert.Equal(aware.AddDays(7), view.GetProperty("regulatorReport").GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RecordSusar_WhenFatal_IsDueToRegulatorsIn7Days()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-2);

        var view = await RecordAndReadAsync(t, Fatal(("relatedness", "Definite"), ("expected", false), ("awarenessDate", aware)));

        Assert.True(view.GetProperty("susar").GetBoolean());
        Assert.Equal(aware.AddDays(7), view.GetProperty("regulatorReport").GetProperty("dueAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ReviseToSerious_WithoutAwareness_StartsTheSponsorClockAtTheRevision()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild(("awarenessDate", Now.AddDays(-1))));
        var before = DateTimeOffset.UtcNow;

        var revised = await t.ReviseAsync(id, Serious(("reason", "Admitted to hospital")));

        var started = revised.GetProperty("sponsorReport").GetProperty("clockStartedAt").GetDateTimeOffset();
        Assert.InRange(started, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal("Due", revised.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    [Fact]
    public async Task ReviseSaeToSusar_StartsTheRegulatorClockAtTheRevision()
    {
        var t = await TrialAsync();
        var aware = Now.AddDays(-1);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));
        var before = DateTimeOffset.UtcNow;

        var revised = await t.ReviseAsync(id, Susar(("term", "Pneumonia"), ("reason", "Causality reassessed: probably related")));

        var regulator = revised.GetProperty("regulatorReport");
        var started = regulator.GetProperty("clockStartedAt").GetDateTimeOffset();
        Assert.InRange(started, before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal(started.AddDays(15), regulator.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal(aware, revised.GetProperty("sponsorReport").GetProperty("clockStartedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task ReviseToNonSerious_ClearsTheUnsentClocksAndLeavesTheWorklist()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Susar(("awarenessDate", Now.AddHours(-30))));
        Assert.Equal(2, (await WorklistAsync(t.Admin, t, "")).Count(i => i.Id == id));

        var revised = await t.ReviseAsync(id, Mild(("reason", "Not hospitalized: outpatient visit only")));

        Assert.Equal(JsonValueKind.Null, revised.GetProperty("sponsorReport").ValueKind);
        Assert.Equal(JsonValueKind.Null, revised.GetProperty("regulatorReport").ValueKind);
        Assert.DoesNotContain(await WorklistAsync(t.Admin, t, ""), i => i.Id == id);
    }

    [Fact]
    public async Task ReviseToNonSerious_AfterTheSponsorReportWasSent_KeepsTheSentReport()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-30);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));
        await SendAsync(t, id, "Sponsor", aware.AddHours(2));

        var revised = await t.ReviseAsync(id, Mild(("reason", "Not serious after the hospital's report")));

        var sponsor = revised.GetProperty("sponsorReport");
        Assert.Equal(aware.AddHours(2), sponsor.GetProperty("sentAt").GetDateTimeOffset());
        Assert.Equal(aware.AddHours(24), sponsor.GetProperty("dueAt").GetDateTimeOffset());
        Assert.Equal("OnTime", sponsor.GetProperty("timeliness").GetString());
    }

    // ---- Reports sent ----

    [Fact]
    public async Task RecordReportSent_BeforeTheDeadline_IsOnTime()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-30);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));

        var view = await SendAsync(t, id, "Sponsor", aware.AddHours(23));

        var sponsor = view.GetProperty("sponsorReport");
        Assert.Equal(aware.AddHours(23), sponsor.GetProperty("sentAt").GetDateTimeOffset());
        Assert.Equal("OnTime", sponsor.GetProperty("timeliness").GetString());
        Assert.Equal("OnTime", (await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id))).GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    [Fact]
    public async Task RecordReportSent_ExactlyAtTheDeadline_IsOnTime()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-30);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));

        var view = await SendAsync(t, id, "Sponsor", aware.AddHours(24));

        Assert.Equal("OnTime", view.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    [Fact]
    public async Task RecordReportSent_AfterTheDeadline_IsLate()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-30);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));

        var view = await SendAsync(t, id, "Sponsor", aware.AddHours(24).AddSeconds(1));

        Assert.Equal("Late", view.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    [Fact]
    public async Task RecordReportSent_ToRegulatorsForASusar_SettlesOnlyThatClock()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-30);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Susar(("awarenessDate", aware)));

        var view = await SendAsync(t, id, "Regulator", aware.AddHours(20));

        Assert.Equal("OnTime", view.GetProperty("regulatorReport").GetProperty("timeliness").GetString());
        Assert.Equal("Overdue", view.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
        var pending = (await WorklistAsync(t.Admin, t, "")).Where(i => i.Id == id).ToList();
        Assert.Equal([("Sponsor", "Overdue")], pending.Select(i => (i.Recipient, i.Timeliness)));
    }

    [Fact]
    public async Task RecordReportSent_RemovesItFromTheWorklist_AndASecondRecordingReturns409()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-3);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));
        Assert.Contains(await WorklistAsync(t.Admin, t, ""), i => i.Id == id);

        await SendAsync(t, id, "Sponsor", aware.AddHours(1));
        var second = await t.Admin.PostAsJsonAsync(t.ReportsOf(id), new { recipient = "Sponsor", sentAt = aware.AddHours(2) });

        Assert.DoesNotContain(await WorklistAsync(t.Admin, t, ""), i => i.Id == id);
        await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ReportAlreadyRecorded", (await second.JsonAsync()).GetProperty("rule").GetString());
        var view = await t.Admin.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(aware.AddHours(1), view.GetProperty("sponsorReport").GetProperty("sentAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task RecordReportSent_WhenNoReportIsDue_Returns409NoReportDue()
    {
        var t = await TrialAsync();
        var nonSerious = await t.RecordAsync(await t.RandomizedAsync(), Mild());
        var saeOnly = await t.RecordAsync(await t.RandomizedAsync(), Serious());

        var toSponsor = await t.Admin.PostAsJsonAsync(t.ReportsOf(nonSerious), new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow });
        var toRegulators = await t.Admin.PostAsJsonAsync(t.ReportsOf(saeOnly), new { recipient = "Regulator", sentAt = DateTimeOffset.UtcNow });

        await toSponsor.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("NoReportDue", (await toSponsor.JsonAsync()).GetProperty("rule").GetString());
        await toRegulators.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("NoReportDue", (await toRegulators.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task RecordReportSent_InTheFutureOrBeforeAwareness_Returns409AndRecordsNothing()
    {
        var t = await TrialAsync();
        var aware = Now.AddHours(-3);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));

        var future = await t.Admin.PostAsJsonAsync(t.ReportsOf(id), new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow.AddHours(1) });
        var early = await t.Admin.PostAsJsonAsync(t.ReportsOf(id), new { recipient = "Sponsor", sentAt = aware.AddMinutes(-1) });

        await future.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ReportSentInFuture", (await future.JsonAsync()).GetProperty("rule").GetString());
        await early.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ReportSentBeforeAwareness", (await early.JsonAsync()).GetProperty("rule").GetString());
        var view = await t.Admin.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(JsonValueKind.Null, view.GetProperty("sponsorReport").GetProperty("sentAt").ValueKind);
    }

    [Fact]
    public async Task RecordReportSent_WithoutRecipientOrTime_Returns400()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious());

        var response = await t.Admin.PostAsJsonAsync(t.ReportsOf(id), new { });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("recipient", out _));
        Assert.True(errors.TryGetProperty("sentAt", out _));
    }

    [Fact]
    public async Task RecordReportSent_WhenNotAdmin_Returns403()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious());
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);

        foreach (var client in new[] { t.CoordinatorA, t.InvestigatorA, dsmb })
        {
            var response = await client.PostAsJsonAsync(t.ReportsOf(id), new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow });
            await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        Assert.Equal(JsonValueKind.Null, (await t.Admin.GetJsonAsync(t.AdverseEvent(id))).GetProperty("sponsorReport").GetProperty("sentAt").ValueKind);
    }

    [Fact]
    public async Task RecordReportSent_WhenEventUnknown_Returns404()
    {
        var t = await TrialAsync();

        var response = await t.Admin.PostAsJsonAsync(t.ReportsOf(Guid.NewGuid()), new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task RecordReportSent_AfterTheDatabaseLock_IsAllowed()
    {
        var t = await SafetyTrial.CreateAsync(api);
        var aware = Now.AddHours(-3);
        var id = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", aware)));
        var locked = await t.Admin.PostAsync($"/api/trials/{t.TrialId}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        var view = await SendAsync(t, id, "Sponsor", aware.AddHours(1));

        Assert.Equal("OnTime", view.GetProperty("sponsorReport").GetProperty("timeliness").GetString());
    }

    // ---- The worklist ----

    [Fact]
    public async Task Worklist_ListsOverdueFirstThenDue_EachByDeadline()
    {
        var t = await SafetyTrial.CreateAsync(api);
        var now = Now;
        var overdueMost = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", now.AddHours(-30))));
        var overdueLess = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", now.AddHours(-26))));
        var susar = await t.RecordAsync(await t.RandomizedAsync(), Susar(("awarenessDate", now.AddHours(-1))));
        var dueSooner = await t.RecordAsync(await t.RandomizedAsync(), Serious(("awarenessDate", now.AddHours(-2))));
        await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var page = await t.Admin.GetJsonAsync($"{t.ExpeditedReports}?pageSize=200");

        var items = Items(page);
        Assert.Equal(
            [
                (overdueMost, "Sponsor", "Overdue"), (overdueLess, "Sponsor", "Overdue"),
                (dueSooner, "Sponsor", "Due"), (susar, "Sponsor", "Due"), (susar, "Regulator", "Due"),
            ],
            items.Select(i => (i.Id, i.Recipient, i.Timeliness)));
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(now.AddHours(-6), items[0].DueAt);
        Assert.Equal(now.AddDays(15).AddHours(-1), items[4].DueAt);
        var first = page.GetProperty("items")[0];
        Assert.Equal(t.SiteA, first.GetProperty("siteId").GetGuid());
        Assert.Equal("Pneumonia", first.GetProperty("term").GetString());
        Assert.False(string.IsNullOrEmpty(first.GetProperty("screeningNumber").GetString()));
        Assert.Equal(now.AddHours(-30), first.GetProperty("clockStartedAt").GetDateTimeOffset());
        Assert.True(page.GetProperty("items")[4].GetProperty("susar").GetBoolean());

        var overdue = Items(await t.Admin.GetJsonAsync($"{t.ExpeditedReports}?status=Overdue"));
        var due = Items(await t.Admin.GetJsonAsync($"{t.ExpeditedReports}?status=Due"));
        Assert.Equal([overdueMost, overdueLess], overdue.Select(i => i.Id));
        Assert.Equal([dueSooner, susar, susar], due.Select(i => i.Id));

        var paged = await t.Admin.GetJsonAsync($"{t.ExpeditedReports}?page=2&pageSize=2");
        Assert.Equal(5, paged.GetProperty("total").GetInt32());
        Assert.Equal(items.Skip(2).Take(2).Select(i => (i.Id, i.Recipient)), Items(paged).Select(i => (i.Id, i.Recipient)));
    }

    [Theory]
    [InlineData("OnTime")]
    [InlineData("Late")]
    [InlineData("Soon")]
    public async Task Worklist_WhenStatusIsNotDueOrOverdue_Returns400(string status)
    {
        var t = await TrialAsync();

        var response = await t.Admin.GetAsync($"{t.ExpeditedReports}?status={status}");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Worklist_IsScopedToTheCallersSitesForInvestigators_AndRefusedToOtherRoles()
    {
        var t = await SafetyTrial.CreateAsync(api);
        var atA = await t.RecordAsync(await t.RandomizedAsync(), Serious());
        var atB = await t.RecordAsync(await t.RandomizedAsync(atSiteB: true), Serious(), t.CoordinatorB);
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);
        var statistician = await api.ClientForNewUserAsync(t.Admin, Roles.UnblindedStatistician);

        Assert.Equal([atA], (await WorklistAsync(t.InvestigatorA, t, "")).Select(i => i.Id));
        Assert.Equal([atB], (await WorklistAsync(t.InvestigatorB, t, "")).Select(i => i.Id));
        Assert.Empty(await WorklistAsync(t.InvestigatorA, t, $"siteId={t.SiteB}"));
        Assert.Equal(new[] { atA, atB }.Order(), (await WorklistAsync(t.Admin, t, "")).Select(i => i.Id).Order());
        Assert.Equal([atB], (await WorklistAsync(t.Admin, t, $"siteId={t.SiteB}")).Select(i => i.Id));
        foreach (var client in new[] { t.CoordinatorA, dsmb, statistician })
        {
            await (await client.GetAsync(t.ExpeditedReports)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }
    }

    // ---- Notifications ----

    [Fact]
    public async Task RecordSeriousEvent_QueuesANotificationForTheSitesInvestigatorsAndTheAdmins_NamingNoArm()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var screeningNumber = (await t.CoordinatorA.GetJsonAsync(t.Participant(participant))).GetProperty("screeningNumber").GetString()!;
        var users = (await t.Admin.GetJsonAsync("/api/users?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.True(users.Count < 200, "more users than one page");
        var expected = users
            .Where(u => u.GetProperty("active").GetBoolean())
            .Where(u => u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == Roles.Admin)
                || (u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() == Roles.Investigator)
                    && u.GetProperty("siteIds").EnumerateArray().Any(s => s.GetGuid() == t.SiteA)))
            .Select(u => u.GetProperty("id").GetGuid())
            .Order()
            .ToList();
        Assert.Contains(t.InvestigatorAId, expected);
        Assert.DoesNotContain(t.InvestigatorBId, expected);
        Assert.DoesNotContain(t.CoordinatorAId, expected);

        await t.RecordAsync(participant, Mild());
        Assert.Empty(await RecipientsAsync(t, screeningNumber));
        await t.RecordAsync(participant, Susar(("term", "Interstitial lung disease")));

        Assert.Equal(expected, (await RecipientsAsync(t, screeningNumber)).Order());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString,
            $"SELECT count(*) FROM notifications WHERE trial_id = @p AND concat_ws('|', subject, body) ~* '{string.Join('|', DistinctiveTrial.ArmStrings)}'",
            t.TrialId));
        var body = await Sql.ScalarAsync<string>(
            api.ConnectionString,
            $"SELECT body FROM notifications WHERE kind = 'SeriousAdverseEvent' AND subject LIKE '%{screeningNumber}' LIMIT 1");
        Assert.Contains("Interstitial lung disease", body, StringComparison.Ordinal);
        Assert.Contains("regulators", body, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ReviseToSerious_QueuesTheNotificationOnce()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var screeningNumber = (await t.CoordinatorA.GetJsonAsync(t.Participant(participant))).GetProperty("screeningNumber").GetString()!;
        var id = await t.RecordAsync(participant, Mild());

        await t.ReviseAsync(id, Serious(("reason", "Admitted")));
        var once = (await RecipientsAsync(t, screeningNumber)).Count;
        await t.ReviseAsync(id, Serious(("grade", 4), ("reason", "Worse")));

        Assert.True(once > 0);
        Assert.Contains(t.InvestigatorAId, await RecipientsAsync(t, screeningNumber));
        Assert.Equal(once, (await RecipientsAsync(t, screeningNumber)).Count);
    }

    // ---- Helpers ----

    private sealed record Item(Guid Id, string Recipient, string Timeliness, DateTimeOffset DueAt);

    private static List<Item> Items(JsonElement page) =>
        [.. page.GetProperty("items").EnumerateArray().Select(i => new Item(
            i.GetProperty("adverseEventId").GetGuid(), i.GetProperty("recipient").GetString()!, i.GetProperty("timeliness").GetString()!,
            i.GetProperty("dueAt").GetDateTimeOffset()))];

    private static async Task<List<Item>> WorklistAsync(HttpClient client, SafetyTrial t, string query) =>
        Items(await client.GetJsonAsync($"{t.ExpeditedReports}?pageSize=200&{query}"));

    private static async Task<JsonElement> RecordAndReadAsync(SafetyTrial t, Dictionary<string, object?> form)
    {
        var id = await t.RecordAsync(await t.RandomizedAsync(), form);
        return await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
    }

    private static async Task<JsonElement> SendAsync(SafetyTrial t, Guid id, string recipient, DateTimeOffset sentAt)
    {
        var response = await t.Admin.PostAsJsonAsync(t.ReportsOf(id), new { recipient, sentAt });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    private async Task<List<Guid>> RecipientsAsync(SafetyTrial t, string screeningNumber)
    {
        var ids = await Sql.ScalarAsync<string>(
            api.ConnectionString,
            $"SELECT coalesce(string_agg(recipient_user_id::text, ','), '') FROM notifications WHERE trial_id = @p AND kind = 'SeriousAdverseEvent' AND subject LIKE '%{screeningNumber}'",
            t.TrialId);
        return [.. ids.Split(',', StringSplitOptions.RemoveEmptyEntries).Select(Guid.Parse)];
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Npgsql;
using static Edc.Api.Tests.Infrastructure.AdverseEventForms;

namespace Edc.Api.Tests;

/// <summary>
/// The adverse event form over HTTP: its consistency rules as field errors (nothing saved), versions that keep every
/// earlier form whole (the database refuses to change them), who may record and read, the rules of state (enrolled
/// participants of an open trial only) and the death a grade 5 event records. Tests share one trial and use
/// participants of their own, except those that lock a trial.
/// </summary>
public sealed class AdverseEventTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly ConditionalWeakTable<EdcApiFactory, Task<SafetyTrial>> Trials = new();

    private Task<SafetyTrial> TrialAsync() => Trials.GetValue(api, SafetyTrial.CreateAsync);

    // ---- Recording ----

    [Fact]
    public async Task RecordAdverseEvent_WhenConsistent_Returns201WithVersion1AndLocation()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();

        var response = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Mild());

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var body = await response.JsonAsync();
        var id = body.GetProperty("id").GetGuid();
        Assert.Equal(1, body.GetProperty("version").GetInt32());
        Assert.Equal(t.AdverseEvent(id), response.Headers.Location?.OriginalString);
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal("Headache", view.GetProperty("term").GetString());
        Assert.Equal(participant, view.GetProperty("participantId").GetGuid());
        Assert.Equal(t.SiteA, view.GetProperty("siteId").GetGuid());
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal(Today.AddDays(-2).ToString("yyyy-MM-dd"), view.GetProperty("onsetDate").GetString());
        Assert.True(view.GetProperty("ongoing").GetBoolean());
        Assert.Equal("NotRelated", view.GetProperty("relatedness").GetString());
        Assert.Equal("DoseNotChanged", view.GetProperty("actionTaken").GetString());
        Assert.Equal("NotRecovered", view.GetProperty("outcome").GetString());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM adverse_event_versions WHERE adverse_event_id = @p", id));
    }

    [Fact]
    public async Task RecordAdverseEvent_WithoutAwarenessDate_DefaultsToTheTimeOfEntry()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var before = DateTimeOffset.UtcNow;

        var id = await t.RecordAsync(participant, Mild());

        var after = DateTimeOffset.UtcNow;
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        var aware = view.GetProperty("awarenessDate").GetDateTimeOffset();
        Assert.InRange(aware, before.AddMilliseconds(-1), after);
        Assert.EndsWith("Z", view.GetProperty("awarenessDate").GetString(), StringComparison.Ordinal);
        Assert.Equal(aware, view.GetProperty("versions")[0].GetProperty("report").GetProperty("awarenessDate").GetDateTimeOffset());
    }

    [Theory]
    [InlineData("{day}T08:30:00", "{day}T08:30:00Z")]
    [InlineData("{day}", "{day}T00:00:00Z")]
    [InlineData("{day}T10:30:00+02:00", "{day}T08:30:00Z")]
    public async Task RecordAdverseEvent_WithAwarenessWithoutOffset_ReadsItAsUtc(string given, string stored)
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var day = Today.AddDays(-1).ToString("yyyy-MM-dd");

        var id = await t.RecordAsync(participant, Mild(("awarenessDate", given.Replace("{day}", day, StringComparison.Ordinal))));

        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(stored.Replace("{day}", day, StringComparison.Ordinal), view.GetProperty("awarenessDate").GetString());
    }

    public static TheoryData<string, string> InconsistentForms => new()
    {
        { "grade 5 not serious", "serious" },
        { "grade 5 without the Death criterion", "seriousnessCriteria" },
        { "grade 5 without outcome Fatal", "outcome" },
        { "Death criterion below grade 5", "grade" },
        { "outcome Fatal below grade 5", "grade" },
        { "serious without a criterion", "seriousnessCriteria" },
        { "a criterion without serious", "serious" },
        { "end before onset", "endDate" },
        { "ongoing with an end date", "ongoing" },
        { "ended without an end date", "ongoing" },
        { "onset before consent", "onsetDate" },
        { "onset in the future", "onsetDate" },
        { "aware before onset", "awarenessDate" },
        { "aware in the future", "awarenessDate" },
        { "grade 0", "grade" },
        { "grade 6", "grade" },
        { "no term", "term" },
        { "no onset", "onsetDate" },
        { "no ongoing", "ongoing" },
        { "no grade", "grade" },
        { "no serious", "serious" },
        { "no relatedness", "relatedness" },
        { "no action taken", "actionTaken" },
        { "no outcome", "outcome" },
        { "a criterion twice", "seriousnessCriteria" },
        { "an unknown relatedness", "relatedness" },
    };

    [Theory]
    [MemberData(nameof(InconsistentForms))]
    public async Task RecordAdverseEvent_WhenFormInconsistentOrIncomplete_Returns400KeyedByTheFieldAndSavesNothing(string @case, string field)
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();

        var response = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), FormFor(@case));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty(field, out var messages), $"{@case}: no error for {field} in {errors}");
        Assert.False(string.IsNullOrWhiteSpace(messages[0].GetString()));
        Assert.Equal(0L, await CountAsync("adverse_events", participant));
        Assert.Equal(0L, (await t.Admin.GetJsonAsync($"{t.AdverseEvents}?participantId={participant}")).GetProperty("total").GetInt32());
        Assert.Equal("Randomized", (await t.CoordinatorA.GetJsonAsync(t.Participant(participant))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenGrade5WithoutDeathCriterion_Returns400WithFieldError()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();

        var response = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Fatal(("seriousnessCriteria", new[] { "Hospitalization" })));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["seriousnessCriteria"], errors.EnumerateObject().Select(e => e.Name));
        Assert.Contains("Death", errors.GetProperty("seriousnessCriteria")[0].GetString(), StringComparison.Ordinal);
        Assert.Equal("Randomized", (await t.CoordinatorA.GetJsonAsync(t.Participant(participant))).GetProperty("status").GetString());
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenSeveralRulesBroken_Returns400NamingEachField()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();

        var response = await t.CoordinatorA.PostAsJsonAsync(
            t.NewEventOf(participant), Mild(("grade", 5), ("onsetDate", "2026-01-10"), ("awarenessDate", "2026-01-09T12:00:00Z")));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(
            ["awarenessDate", "onsetDate", "outcome", "serious", "seriousnessCriteria"],
            errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
    }

    // ---- Versions ----

    [Fact]
    public async Task ReviseAdverseEvent_WithoutReason_Returns400AndKeepsVersion1()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var response = await t.CoordinatorA.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2)));
        var blank = await t.CoordinatorA.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "  ")));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        await blank.AssertProblemAsync(HttpStatusCode.BadRequest);
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal(1, view.GetProperty("grade").GetInt32());
        Assert.Equal(1, view.GetProperty("versions").GetArrayLength());
    }

    [Fact]
    public async Task ReviseAdverseEvent_WhenInconsistent_Returns400AndKeepsTheCurrentVersion()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var response = await t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(id), Mild(("serious", true), ("reason", "Hospitalized")), TestData.ETag(1));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("seriousnessCriteria", out _));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM adverse_event_versions WHERE adverse_event_id = @p", id));
        Assert.False((await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id))).GetProperty("serious").GetBoolean());
    }

    [Fact]
    public async Task ReviseAdverseEvent_WithReason_CreatesVersion2AndGetShowsBothWithWhoWhenWhyAndTheOldValues()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Mild());
        var (investigatorId, investigatorEmail) = await t.Admin.CreateUserAsync([Roles.Investigator], t.SiteA);
        var investigator = await api.LoginAsync(investigatorEmail, TestData.UserPassword);
        var before = DateTimeOffset.UtcNow;

        var revised = await t.ReviseAsync(
            id, Mild(("term", "Migraine"), ("grade", 2), ("ongoing", false), ("endDate", Today.AddDays(-1)), ("outcome", "Recovered"), ("reason", "Diagnosis confirmed by neurologist")),
            investigator);

        Assert.Equal(2, revised.GetProperty("version").GetInt32());
        Assert.Equal("Migraine", revised.GetProperty("term").GetString());
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal("Migraine", view.GetProperty("term").GetString());
        Assert.Equal(2, view.GetProperty("grade").GetInt32());
        var versions = view.GetProperty("versions").EnumerateArray().ToList();
        Assert.Equal([1, 2], versions.Select(v => v.GetProperty("version").GetInt32()));

        var first = versions[0];
        Assert.Equal(t.CoordinatorAId, first.GetProperty("recordedBy").GetGuid());
        Assert.StartsWith("coordinator-", first.GetProperty("recordedByEmail").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, first.GetProperty("reason").ValueKind);
        Assert.InRange(first.GetProperty("recordedAt").GetDateTimeOffset(), before.AddMinutes(-5), before);
        Assert.Equal("Headache", first.GetProperty("report").GetProperty("term").GetString());
        Assert.Equal(1, first.GetProperty("report").GetProperty("grade").GetInt32());
        Assert.True(first.GetProperty("report").GetProperty("ongoing").GetBoolean());
        Assert.Equal(JsonValueKind.Null, first.GetProperty("report").GetProperty("endDate").ValueKind);
        Assert.Equal("NotRecovered", first.GetProperty("report").GetProperty("outcome").GetString());

        var second = versions[1];
        Assert.Equal(investigatorId, second.GetProperty("recordedBy").GetGuid());
        Assert.Equal(investigatorEmail, second.GetProperty("recordedByEmail").GetString());
        Assert.Equal("Diagnosis confirmed by neurologist", second.GetProperty("reason").GetString());
        Assert.InRange(second.GetProperty("recordedAt").GetDateTimeOffset(), before.AddMilliseconds(-1), DateTimeOffset.UtcNow);
        Assert.Equal("Migraine", second.GetProperty("report").GetProperty("term").GetString());
        Assert.Equal(Today.AddDays(-1).ToString("yyyy-MM-dd"), second.GetProperty("report").GetProperty("endDate").GetString());

        // The awareness was not given again: the version keeps the one recorded first.
        Assert.Equal(
            first.GetProperty("report").GetProperty("awarenessDate").GetDateTimeOffset(),
            second.GetProperty("report").GetProperty("awarenessDate").GetDateTimeOffset());
    }

    [Fact]
    public async Task GetAdverseEvent_VersionReports_UseTheFormsFieldNames()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Susar());

        var report = (await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id))).GetProperty("versions")[0].GetProperty("report");

        var fields = report.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(
            new[] { "actionTaken", "awarenessDate", "endDate", "expected", "grade", "onsetDate", "ongoing", "outcome", "relatedness", "serious", "seriousnessCriteria", "term" }
                .Order(StringComparer.Ordinal),
            fields);
        Assert.Equal(["Hospitalization"], report.GetProperty("seriousnessCriteria").EnumerateArray().Select(c => c.GetString()));
        Assert.False(report.GetProperty("expected").GetBoolean());
    }

    [Fact]
    public async Task AdverseEventVersions_WhenChangedInTheDatabase_AreRefusedAsInsufficientPrivilege()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());
        await t.ReviseAsync(id, Mild(("grade", 2), ("reason", "Worse")));

        var update = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(
            api.ConnectionString, "UPDATE adverse_event_versions SET reason = 'rewritten' WHERE adverse_event_id = @p", id));
        var delete = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(
            api.ConnectionString, "DELETE FROM adverse_event_versions WHERE adverse_event_id = @p", id));
        var truncate = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(api.ConnectionString, "TRUNCATE adverse_event_versions CASCADE"));

        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, update.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, delete.SqlState);
        Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, truncate.SqlState);
        Assert.Equal(2L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM adverse_event_versions WHERE adverse_event_id = @p", id));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM adverse_event_versions WHERE reason = 'rewritten'"));
    }

    [Fact]
    public async Task ReviseAdverseEvent_WithReason_AuditsTheChangedFieldsAndTheNewVersionWithTheReason()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());
        const string Reason = "Grade reassessed at the follow-up call";

        await t.ReviseAsync(id, Mild(("grade", 2), ("reason", Reason)));

        var where = $"entity_type = 'AdverseEvent' AND entity_id = '{id}' AND action = 'Update'";
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND field = 'Grade' AND old_value = '1' AND new_value = '2' AND reason = @p", Reason));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND field = 'CurrentVersion' AND old_value = '1' AND new_value = '2' AND reason = @p", Reason));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE {where} AND reason IS DISTINCT FROM @p", Reason));
        Assert.True(await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM audit_entries a JOIN adverse_event_versions v ON a.entity_id = v.id::text " +
            $"WHERE a.entity_type = 'AdverseEventVersion' AND a.action = 'Insert' AND v.adverse_event_id = '{id}' AND v.number = 2 AND a.reason = @p",
            Reason) > 0);
        Assert.True(await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE entity_type = 'AdverseEvent' AND entity_id = '{id}' AND action = 'Insert'") > 0);
    }

    [Fact]
    public async Task ReviseAdverseEvent_WhenTenRevisionsAtOnceFromOneVersion_OneSucceedsAndTheOthersAreStale()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());
        var terms = Enumerable.Range(1, 10).Select(i => $"Headache {i}").ToList();

        var responses = await Task.WhenAll(terms.Select(term =>
            t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(id), Mild(("term", term), ("reason", "Revision " + term)), TestData.ETag(1))));

        var statuses = responses.Select(r => (int)r.StatusCode).ToList();
        Assert.True(statuses.Count(s => s == 200) == 1 && statuses.Count(s => s == 409) == 9, string.Join(",", statuses));
        foreach (var stale in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        }

        var winner = await responses.Single(r => r.StatusCode == HttpStatusCode.OK).JsonAsync();
        Assert.Equal(2, winner.GetProperty("version").GetInt32());
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(2, view.GetProperty("version").GetInt32());
        Assert.Equal(winner.GetProperty("term").GetString(), view.GetProperty("term").GetString());
        Assert.Equal([1, 2], view.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE entity_type = 'AdverseEvent' AND entity_id = '{id}' AND action = 'Update' AND field = 'CurrentVersion'"));
    }

    // ---- Versions as ETags ----

    [Fact]
    public async Task GetAdverseEvent_AfterItIsRecorded_AnswersETag1AndARevisionWithItAnswers2()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var read = await t.CoordinatorA.GetAsync(t.AdverseEvent(id));
        var revised = await t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Worse")), TestData.ETagOf(read));
        var again = await t.CoordinatorA.GetAsync(t.AdverseEvent(id));

        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        Assert.True(revised.StatusCode == HttpStatusCode.OK, await revised.Content.ReadAsStringAsync());
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(revised));
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(again));
        Assert.Equal(2, (await again.JsonAsync()).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task ReviseAdverseEvent_AnswersTheSameShapeAsItsGetWithEveryVersion()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var revised = await t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Worse")), TestData.ETag(1));
        var read = await t.CoordinatorA.GetAsync(t.AdverseEvent(id));

        Assert.True(revised.StatusCode == HttpStatusCode.OK, await revised.Content.ReadAsStringAsync());
        var put = await revised.JsonAsync();
        var get = await read.JsonAsync();
        Assert.Equal([1, 2], put.GetProperty("versions").EnumerateArray().Select(v => v.GetProperty("version").GetInt32()));
        Assert.Equal(get.EnumerateObject().Select(p => p.Name), put.EnumerateObject().Select(p => p.Name));
        Assert.Equal(get.GetProperty("versions").ToString(), put.GetProperty("versions").ToString());
    }

    [Fact]
    public async Task ReviseAdverseEvent_WithoutIfMatch_Returns428AndChangesNothing()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var response = await t.CoordinatorA.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Worse")));

        await response.AssertProblemAsync(HttpStatusCode.PreconditionRequired);
        Assert.Contains("If-Match", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        await AssertUnrevisedAsync(t, id);
    }

    [Fact]
    public async Task ReviseAdverseEvent_WithAStaleIfMatch_Returns409StaleEditAndChangesNothing()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());
        await t.ReviseAsync(id, Mild(("grade", 2), ("reason", "Worse")));

        var stale = await t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(id), Mild(("grade", 3), ("reason", "From the first version")), TestData.ETag(1));

        await stale.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("StaleEdit", (await stale.JsonAsync()).GetProperty("rule").GetString());
        var read = await t.CoordinatorA.GetAsync(t.AdverseEvent(id));
        Assert.Equal(TestData.ETag(2), TestData.ETagOf(read));
        var view = await read.JsonAsync();
        Assert.Equal(2, view.GetProperty("grade").GetInt32());
        Assert.Equal(2, view.GetProperty("versions").GetArrayLength());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE reason = @p", "From the first version"));
    }

    [Fact]
    public async Task ReviseAdverseEvent_WithoutReasonOrIfMatch_Returns400NamingBoth()
    {
        var t = await TrialAsync();
        var id = await t.RecordAsync(await t.RandomizedAsync(), Mild());

        var response = await t.CoordinatorA.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2)));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["If-Match", "reason"], errors.EnumerateObject().Select(e => e.Name).Order(StringComparer.Ordinal));
        await AssertUnrevisedAsync(t, id);
    }

    private async Task AssertUnrevisedAsync(SafetyTrial t, Guid id)
    {
        var read = await t.CoordinatorA.GetAsync(t.AdverseEvent(id));
        Assert.Equal(TestData.ETag(1), TestData.ETagOf(read));
        Assert.Equal(1, (await read.JsonAsync()).GetProperty("grade").GetInt32());
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, $"SELECT count(*) FROM audit_entries WHERE entity_type = 'AdverseEvent' AND entity_id = '{id}' AND action = 'Update'"));
    }

    // ---- Who may record and read ----

    [Fact]
    public async Task AdverseEvents_WhenPharmacist_Return403()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Serious());
        var pharmacist = await api.ClientForNewUserAsync(t.Admin, Roles.Pharmacist, t.SiteA);

        await (await pharmacist.GetAsync(t.AdverseEvents)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await pharmacist.GetAsync(t.AdverseEvent(id))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await pharmacist.PostAsJsonAsync(t.NewEventOf(participant), Mild())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await pharmacist.PutAsJsonAsync(t.AdverseEvent(id), Mild(("reason", "x")))).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await pharmacist.GetAsync(t.ExpeditedReports)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await pharmacist.PostAsJsonAsync(t.ReportsOf(id), new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow })).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1L, await CountAsync("adverse_events", participant));
    }

    [Fact]
    public async Task AdverseEvents_WhenAnotherSitesEvent_Return404AsIfItDidNotExist()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Mild());

        var otherSite = await t.CoordinatorB.GetAsync(t.AdverseEvent(id));
        var nowhere = await t.CoordinatorB.GetAsync(t.AdverseEvent(Guid.NewGuid()));
        var revise = await t.CoordinatorB.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Not mine")));
        var reviseNowhere = await t.CoordinatorB.PutAsJsonAsync(t.AdverseEvent(Guid.NewGuid()), Mild(("grade", 2), ("reason", "Not mine")));
        var record = await t.CoordinatorB.PostAsJsonAsync(t.NewEventOf(participant), Mild());
        var recordNowhere = await t.CoordinatorB.PostAsJsonAsync(t.NewEventOf(Guid.NewGuid()), Mild());

        foreach (var (hidden, missing) in new[] { (otherSite, nowhere), (revise, reviseNowhere), (record, recordNowhere) })
        {
            await hidden.AssertProblemAsync(HttpStatusCode.NotFound);
            await missing.AssertProblemAsync(HttpStatusCode.NotFound);
            Assert.Equal(Comparable(await missing.JsonAsync()), Comparable(await hidden.JsonAsync()));
            Assert.DoesNotContain(id.ToString(), await hidden.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
        }

        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal(1L, await CountAsync("adverse_events", participant));
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenDsmbMember_Returns403()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Mild());
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);

        await (await dsmb.PostAsJsonAsync(t.NewEventOf(participant), Mild())).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await dsmb.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Board opinion")))).AssertProblemAsync(HttpStatusCode.Forbidden);

        Assert.Equal(1, (await dsmb.GetJsonAsync(t.AdverseEvent(id))).GetProperty("version").GetInt32());
        Assert.Equal(1L, await CountAsync("adverse_events", participant));
    }

    // ---- Rules of state ----

    [Fact]
    public async Task RecordAdverseEvent_WhenParticipantInScreening_Returns409NotEnrolled()
    {
        var t = await TrialAsync();
        var participant = await t.CoordinatorA.RegisterAsync(t.TrialId, t.SiteA);

        var response = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Mild());

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("NotEnrolled", (await response.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(0L, await CountAsync("adverse_events", participant));
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenParticipantScreenFailed_Returns409NotEnrolled()
    {
        var t = await TrialAsync();
        var participant = await t.CoordinatorA.RegisterAsync(t.TrialId, t.SiteA);
        var enrollment = await t.CoordinatorA.PostAsJsonAsync($"{t.Participant(participant)}/enrollment", new
        {
            consentDate = "2026-01-15",
            eligibility = new Dictionary<string, bool> { [DistinctiveTrial.InclusionCode] = false, [DistinctiveTrial.ExclusionCode] = false },
            strata = DistinctiveTrial.Strata("limited"),
        });
        Assert.Equal(HttpStatusCode.Conflict, enrollment.StatusCode);
        Assert.Equal("ScreenFailed", (await t.CoordinatorA.GetJsonAsync(t.Participant(participant))).GetProperty("status").GetString());

        var response = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Mild());

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("NotEnrolled", (await response.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(0L, await CountAsync("adverse_events", participant));
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenEnrolledNotYetRandomized_Returns201()
    {
        var t = await TrialAsync();
        var participant = await t.CoordinatorA.EnrolledAsync(t.TrialId, t.SiteA, DistinctiveTrial.Strata("diffuse"));

        var id = await t.RecordAsync(participant, Mild());

        Assert.Equal(1, (await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id))).GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task AdverseEvents_WhenTrialLocked_Return409TrialLockedForPostAndPutAndStayReadable()
    {
        var t = await SafetyTrial.CreateAsync(api);
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Mild());
        var locked = await t.Admin.PostAsync($"/api/trials/{t.TrialId}/lock", null);
        Assert.True(locked.IsSuccessStatusCode, await locked.Content.ReadAsStringAsync());

        var record = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Mild(("term", "Rash")));
        var revise = await t.CoordinatorA.PutAsJsonAsync(t.AdverseEvent(id), Mild(("grade", 2), ("reason", "Late correction")));

        await record.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialLocked", (await record.JsonAsync()).GetProperty("rule").GetString());
        await revise.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialLocked", (await revise.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(1L, await CountAsync("adverse_events", participant));
        var view = await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(id));
        Assert.Equal(1, view.GetProperty("version").GetInt32());
        Assert.Equal(1, view.GetProperty("grade").GetInt32());
    }

    // ---- Death ----

    [Fact]
    public async Task RecordAdverseEvent_WhenGrade5_MarksTheParticipantDeceasedAndEndsTheirSchedule()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        await Sql.ExecuteAsync(
            api.ConnectionString, "UPDATE visits SET window_start = current_date - 1, window_end = current_date + 1, target_date = current_date WHERE participant_id = @p AND code = 'D0'",
            participant);
        Assert.Contains(participant, await WorklistParticipantsAsync(t));

        await t.RecordAsync(participant, Fatal());

        var view = await t.CoordinatorA.GetJsonAsync(t.Participant(participant));
        Assert.Equal("Deceased", view.GetProperty("status").GetString());
        Assert.Equal(Today.AddDays(-1).ToString("yyyy-MM-dd"), view.GetProperty("diedOn").GetString());
        var visit = await t.CoordinatorA.PutAsJsonAsync($"{t.Participant(participant)}/visits/D0", new { status = "Completed", actualDate = Today });
        await visit.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("ParticipantNotActive", (await visit.JsonAsync()).GetProperty("rule").GetString());
        Assert.DoesNotContain(participant, await WorklistParticipantsAsync(t));
        var deceased = await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/participants?status=Deceased&pageSize=200");
        Assert.Contains(deceased.GetProperty("items").EnumerateArray(), p => p.GetProperty("id").GetGuid() == participant);
    }

    [Fact]
    public async Task ReviseAdverseEvent_WhenFatalEventCorrectedToGrade3_RestoresRandomizedAndTheSchedule()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        var id = await t.RecordAsync(participant, Fatal());

        var revised = await t.ReviseAsync(id, Serious(("reason", "Entered as fatal in error: the participant was resuscitated")));

        Assert.Equal(3, revised.GetProperty("grade").GetInt32());
        var view = await t.CoordinatorA.GetJsonAsync(t.Participant(participant));
        Assert.Equal("Randomized", view.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, view.GetProperty("diedOn").ValueKind);
        var visit = await t.CoordinatorA.PutAsJsonAsync($"{t.Participant(participant)}/visits/D0", new { status = "Completed", actualDate = Today });
        Assert.True(visit.StatusCode == HttpStatusCode.OK, await visit.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task RecordAdverseEvent_WhenSecondFatalEventForTheParticipant_Returns409AndKeepsTheFirst()
    {
        var t = await TrialAsync();
        var participant = await t.RandomizedAsync();
        await t.RecordAsync(participant, Fatal());
        var other = await t.RecordAsync(participant, Serious(("term", "Fall")));

        var second = await t.CoordinatorA.PostAsJsonAsync(t.NewEventOf(participant), Fatal(("term", "Stroke"), ("endDate", Today)));
        var upgraded = await t.CoordinatorA.PutWithIfMatchAsync(t.AdverseEvent(other), Fatal(("term", "Fall"), ("reason", "Died of the fall")), TestData.ETag(1));

        await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("DeathAlreadyRecorded", (await second.JsonAsync()).GetProperty("rule").GetString());
        await upgraded.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("DeathAlreadyRecorded", (await upgraded.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(2L, await CountAsync("adverse_events", participant));
        Assert.Equal(1, (await t.CoordinatorA.GetJsonAsync(t.AdverseEvent(other))).GetProperty("version").GetInt32());
        var view = await t.CoordinatorA.GetJsonAsync(t.Participant(participant));
        Assert.Equal(Today.AddDays(-1).ToString("yyyy-MM-dd"), view.GetProperty("diedOn").GetString());
    }

    // ---- Helpers ----

    private static Dictionary<string, object?> FormFor(string @case) => @case switch
    {
        "grade 5 not serious" => Fatal(("serious", false), ("seriousnessCriteria", Array.Empty<string>())),
        "grade 5 without the Death criterion" => Fatal(("seriousnessCriteria", new[] { "Hospitalization" })),
        "grade 5 without outcome Fatal" => Fatal(("outcome", "NotRecovered")),
        "Death criterion below grade 5" => Fatal(("grade", 4), ("outcome", "Recovered")),
        "outcome Fatal below grade 5" => Serious(("outcome", "Fatal"), ("ongoing", false), ("endDate", Today.AddDays(-1))),
        "serious without a criterion" => Serious(("seriousnessCriteria", Array.Empty<string>())),
        "a criterion without serious" => Mild(("seriousnessCriteria", new[] { "ImportantMedicalEvent" })),
        "end before onset" => Mild(("ongoing", false), ("endDate", Today.AddDays(-3))),
        "ongoing with an end date" => Mild(("endDate", Today.AddDays(-1))),
        "ended without an end date" => Mild(("ongoing", false)),
        "onset before consent" => Mild(("onsetDate", "2026-01-14")),
        "onset in the future" => Mild(("onsetDate", Today.AddDays(5))),
        "aware before onset" => Mild(("awarenessDate", new DateTimeOffset(Today.AddDays(-3), new TimeOnly(12, 0), TimeSpan.Zero))),
        "aware in the future" => Mild(("awarenessDate", DateTimeOffset.UtcNow.AddHours(1))),
        "grade 0" => Mild(("grade", 0)),
        "grade 6" => Mild(("grade", 6)),
        "no term" => Mild(("term", null)),
        "no onset" => Mild(("onsetDate", null)),
        "no ongoing" => Mild(("ongoing", null)),
        "no grade" => Mild(("grade", null)),
        "no serious" => Mild(("serious", null)),
        "no relatedness" => Mild(("relatedness", null)),
        "no action taken" => Mild(("actionTaken", null)),
        "no outcome" => Mild(("outcome", null)),
        "a criterion twice" => Serious(("seriousnessCriteria", new[] { "Hospitalization", "Hospitalization" })),
        "an unknown relatedness" => Mild(("relatedness", "Sometimes")),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, null),
    };

    private Task<long> CountAsync(string table, Guid participantId) =>
        Sql.ScalarAsync<long>(api.ConnectionString, $"SELECT count(*) FROM {table} WHERE participant_id = @p", participantId);

    private static async Task<List<Guid>> WorklistParticipantsAsync(SafetyTrial t) =>
        [.. (await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/visit-worklist?pageSize=200")).GetProperty("items").EnumerateArray()
            .Select(i => i.GetProperty("participantId").GetGuid())];

    /// <summary>A problem body without its per-request parts (the trace id).</summary>
    private static string Comparable(JsonElement problem) =>
        string.Join('|', problem.EnumerateObject().Where(p => p.Name != "traceId").Select(p => $"{p.Name}={p.Value}"));
}

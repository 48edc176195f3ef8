using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// The audit trail: one row per changed field, written with the change, readable per trial within the caller's
/// sites, refused by the database to UPDATE, DELETE and TRUNCATE, and hash-chained so tampering shows.
/// </summary>
public sealed class AuditTrailTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task CreateTrial_WhenAdminPostsDefinition_WritesAuditRowsForTrialAndChildren()
    {
        var admin = await api.AdminAsync();
        var adminId = (await admin.GetJsonAsync("/api/me")).GetProperty("id").GetGuid();
        var before = DateTimeOffset.UtcNow;
        var code = NewCode("AUD");

        var trialId = await CreateTrialAsync(admin, code, "SITE-A");

        var rows = await AuditAsync(admin, trialId);
        var trialCode = Assert.Single(rows, r => Str(r, "entityType") == "Trial" && Str(r, "field") == "Code");
        Assert.Equal(code, Str(trialCode, "newValue"));
        Assert.Null(Str(trialCode, "oldValue"));
        Assert.Equal("Insert", Str(trialCode, "action"));
        Assert.Equal(trialId.ToString(), Str(trialCode, "entityId"));
        Assert.Equal(EdcApiFactory.AdminEmail, Str(trialCode, "userEmail"));
        Assert.Equal(adminId, trialCode.GetProperty("userId").GetGuid());
        Assert.Contains(Roles.Admin, Str(trialCode, "roles")!.Split(','));
        var occurredAt = trialCode.GetProperty("occurredAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, occurredAt.Offset);
        Assert.InRange(occurredAt, before.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(30));

        // One row per field of the trial, and rows for every part of the definition created with it.
        Assert.Contains(rows, r => Str(r, "entityType") == "Trial" && Str(r, "field") == "Title" && Str(r, "newValue") == "Audit test " + code);
        Assert.Contains(rows, r => Str(r, "entityType") == "TrialArm" && Str(r, "field") == "Code" && Str(r, "newValue") == "A");
        Assert.Contains(rows, r => Str(r, "entityType") == "TrialArm" && Str(r, "field") == "Code" && Str(r, "newValue") == "B");
        Assert.Contains(rows, r => Str(r, "entityType") == "VisitDefinition" && Str(r, "field") == "Code" && Str(r, "newValue") == "D0");
        Assert.Contains(rows, r => Str(r, "entityType") == "EligibilityCriterion" && Str(r, "field") == "Code" && Str(r, "newValue") == "AGE");
        var site = Assert.Single(rows, r => Str(r, "entityType") == "Site" && Str(r, "field") == "Code");
        Assert.Equal("SITE-A", Str(site, "newValue"));
        Assert.Equal(Str(site, "entityId"), site.GetProperty("siteId").GetGuid().ToString());
        Assert.All(rows, r =>
        {
            Assert.Equal("Insert", Str(r, "action"));
            Assert.Equal(trialId, r.GetProperty("trialId").GetGuid());
            Assert.Equal(EdcApiFactory.AdminEmail, Str(r, "userEmail"));
        });

        // The API shows exactly what the table holds for this trial.
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p", trialId), rows.Count);
    }

    [Fact]
    public async Task CreateTrial_WhenRequestIsRejected_AddsNoAuditRow()
    {
        var admin = await api.AdminAsync();
        var code = NewCode("TXN");
        var trialId = await CreateTrialAsync(admin, code, "S1");
        var rowsForTrial = await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p", trialId);
        var allRows = await ScalarAsync<long>("SELECT count(*) FROM audit_entries");
        Assert.True(rowsForTrial > 0);

        // 409: the code is taken. 400: invalid definition (one arm).
        var duplicate = await admin.PostAsJsonAsync("/api/trials", TrialBody(code, "S2"));
        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        var invalid = TrialBody(NewCode("BAD"), "S3");
        invalid["arms"] = new[] { new { code = "A", name = "Only arm", ratio = 1 } };
        var rejected = await admin.PostAsJsonAsync("/api/trials", invalid);
        await rejected.AssertProblemAsync(HttpStatusCode.BadRequest);
        var siteTaken = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = "S1", name = "Again" });
        await siteTaken.AssertProblemAsync(HttpStatusCode.Conflict);

        Assert.Equal(rowsForTrial, await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p", trialId));
        Assert.Equal(allRows, await ScalarAsync<long>("SELECT count(*) FROM audit_entries"));
        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE entity_type = 'Trial' AND field = 'Code' AND new_value = @p", code));
    }

    [Fact]
    public async Task AddSite_WhenSameCodeIsPostedConcurrently_KeepsAuditRowsOnlyOfTheSavedSite()
    {
        // Requests that pass the handler's check and fail on the unique index roll back their audit rows with them.
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("RACE"), "S1");
        var responses = await Task.WhenAll(Enumerable.Range(0, 12).Select(i =>
            admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = "DUP", name = "Racer " + i })));

        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.Single(created);
        Assert.All(responses.Where(r => r.StatusCode != HttpStatusCode.Created), r => Assert.Equal(HttpStatusCode.Conflict, r.StatusCode));
        var siteId = (await created[0].JsonAsync()).GetProperty("id").GetGuid();

        var siteRows = await AuditAsync(admin, trialId, "entityType=Site");
        var dupRows = siteRows.Where(r => Str(r, "field") == "Code" && Str(r, "newValue") == "DUP").ToList();
        Assert.Equal(siteId.ToString(), Str(Assert.Single(dupRows), "entityId"));
        Assert.Single(siteRows, r => Str(r, "field") == "Name" && Str(r, "entityId") == siteId.ToString());
        Assert.Equal(2, siteRows.Select(r => Str(r, "entityId")).Distinct().Count());
        Assert.Equal(
            siteRows.Count,
            await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p AND entity_type = 'Site'", trialId));
    }

    [Fact]
    public async Task AddSite_WhenSaveFailsInTheDatabase_RollsBackItsAuditRowsWithoutLeavingAGap()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("RB"), "S1");
        var rowsBefore = await ScalarAsync<long>("SELECT count(*) FROM audit_entries");

        // A site with the same code, inserted and not yet committed: the handler's own check cannot see it, so the
        // API's SaveChanges (site and audit rows together) runs into the unique index and waits for this transaction.
        await using var blocker = new NpgsqlConnection(api.ConnectionString);
        await blocker.OpenAsync();
        await using var transaction = await blocker.BeginTransactionAsync();
        await using (var insert = new NpgsqlCommand("INSERT INTO sites (id, trial_id, code, name) VALUES (@id, @trial, 'BLOCK', 'Held')", blocker, transaction))
        {
            insert.Parameters.AddWithValue("id", Guid.NewGuid());
            insert.Parameters.AddWithValue("trial", trialId);
            await insert.ExecuteNonQueryAsync();
        }

        var post = admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = "BLOCK", name = "Through the API" });
        await Eventually.HoldsAsync(async () => post.IsCompleted || await ScalarAsync<long>("""
            SELECT count(*) FROM pg_stat_activity
            WHERE datname = current_database() AND wait_event_type = 'Lock' AND query ILIKE '%INSERT INTO%sites%'
            """) > 0);
        if (post.IsCompleted)
        {
            var early = await post;
            Assert.Fail($"The API answered {(int)early.StatusCode} before it reached the database: {await early.Content.ReadAsStringAsync()}");
        }

        await transaction.CommitAsync();

        var response = await post;
        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(rowsBefore, await ScalarAsync<long>("SELECT count(*) FROM audit_entries"));
        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE new_value = 'Through the API'"));

        // The next change continues the chain right after the last committed row.
        await admin.AddSiteAsync(trialId, "AFTER");
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM audit_entries"), await ScalarAsync<long>("SELECT max(seq) FROM audit_entries"));
        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task ListAudit_WhenFiltered_NarrowsToMatchingRows()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("FLT"), "S1");
        var (secondAdminId, secondAdminEmail) = await admin.CreateUserAsync([Roles.Admin]);
        var secondAdmin = await api.LoginAsync(secondAdminEmail, TestData.UserPassword);
        var addedSiteId = await secondAdmin.AddSiteAsync(trialId, "S2");

        var all = await AuditAsync(admin, trialId);
        var bySecondAdmin = all.Where(r => r.GetProperty("userId").GetGuid() == secondAdminId).ToList();
        var byFirstAdmin = all.Where(r => r.GetProperty("userId").GetGuid() != secondAdminId).ToList();
        Assert.NotEmpty(bySecondAdmin);
        Assert.NotEmpty(byFirstAdmin);
        Assert.All(bySecondAdmin, r =>
        {
            Assert.Equal("Site", Str(r, "entityType"));
            Assert.Equal(addedSiteId.ToString(), Str(r, "entityId"));
            Assert.Equal(secondAdminEmail, Str(r, "userEmail"));
        });

        // userId
        var filteredByUser = await AuditAsync(admin, trialId, $"userId={secondAdminId}");
        Assert.Equal(Sequences(bySecondAdmin), Sequences(filteredByUser));

        // entityType
        var sites = await AuditAsync(admin, trialId, "entityType=Site");
        Assert.Equal(Sequences(all.Where(r => Str(r, "entityType") == "Site")), Sequences(sites));
        Assert.Equal(2, sites.Select(r => Str(r, "entityId")).Distinct().Count());
        Assert.Empty(await AuditAsync(admin, trialId, "entityType=NoSuchEntity"));

        // entityId
        var oneSite = await AuditAsync(admin, trialId, $"entityId={addedSiteId}");
        Assert.Equal(Sequences(bySecondAdmin), Sequences(oneSite));
        var trialRows = await AuditAsync(admin, trialId, $"entityType=Trial&entityId={trialId}");
        Assert.Equal(Sequences(all.Where(r => Str(r, "entityType") == "Trial")), Sequences(trialRows));

        // from / to: the second admin's change came after every row of the trial's creation.
        var firstOfSecond = bySecondAdmin.Min(OccurredAt);
        var lastOfFirst = byFirstAdmin.Max(OccurredAt);
        Assert.True(firstOfSecond > lastOfFirst);
        var from = await AuditAsync(admin, trialId, "from=" + Instant(firstOfSecond));
        Assert.Equal(Sequences(bySecondAdmin), Sequences(from));
        var to = await AuditAsync(admin, trialId, "to=" + Instant(lastOfFirst));
        Assert.Equal(Sequences(byFirstAdmin), Sequences(to));
        var window = await AuditAsync(admin, trialId, $"from={Instant(firstOfSecond)}&to={Instant(bySecondAdmin.Max(OccurredAt))}&entityType=Site");
        Assert.Equal(Sequences(bySecondAdmin), Sequences(window));
        Assert.Empty(await AuditAsync(admin, trialId, $"from={Instant(DateTimeOffset.UtcNow.AddHours(1))}"));

        // Combined filters are conjunctive.
        Assert.Empty(await AuditAsync(admin, trialId, $"userId={secondAdminId}&entityType=Trial"));
    }

    [Fact]
    public async Task ListAudit_WhenInvestigator_SeesOnlyRowsOfOwnSites()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("INV"), "OWN", "OTHER");
        var sites = (await admin.GetJsonAsync($"/api/trials/{trialId}/sites")).GetProperty("items").EnumerateArray().ToList();
        var ownSite = sites.Single(s => Str(s, "code") == "OWN").GetProperty("id").GetGuid();
        var otherSite = sites.Single(s => Str(s, "code") == "OTHER").GetProperty("id").GetGuid();
        var adminView = await AuditAsync(admin, trialId);
        Assert.Contains(adminView, r => SiteOf(r) == otherSite);
        Assert.Contains(adminView, r => SiteOf(r) is null);

        var investigator = await api.ClientForNewUserAsync(admin, Roles.Investigator, ownSite);
        var rows = await AuditAsync(investigator, trialId);

        Assert.NotEmpty(rows);
        Assert.All(rows, r => Assert.Equal(ownSite, SiteOf(r)));
        Assert.Contains(rows, r => Str(r, "entityType") == "Site" && Str(r, "field") == "Code" && Str(r, "newValue") == "OWN");
        Assert.Equal(Sequences(adminView.Where(r => SiteOf(r) == ownSite)), Sequences(rows));
        Assert.Empty(await AuditAsync(investigator, trialId, $"entityId={otherSite}"));

        // A trial none of whose sites are the investigator's does not exist for them.
        var foreignTrial = await CreateTrialAsync(admin, NewCode("FOR"), "F1");
        await (await investigator.GetAsync($"/api/trials/{foreignTrial}/audit")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListAudit_WhenCoordinator_IsForbidden()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("CRD"), "S1");
        var siteId = (await admin.GetJsonAsync($"/api/trials/{trialId}/sites")).GetProperty("items")[0].GetProperty("id").GetGuid();
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, siteId);

        var response = await coordinator.GetAsync($"/api/trials/{trialId}/audit");

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await coordinator.GetAsync("/api/audit/verification")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await api.Anonymous().GetAsync($"/api/trials/{trialId}/audit")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AuditEntries_WhenUpdatedDeletedOrTruncatedBySql_AreRefusedAndUnchanged()
    {
        var admin = await api.AdminAsync();
        await CreateTrialAsync(admin, NewCode("RO"), "S1");
        var snapshot = await SnapshotAsync(api.ConnectionString);
        var seq = snapshot.Keys.Max();

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        var statements = new[]
        {
            $"UPDATE audit_entries SET new_value = 'changed' WHERE seq = {seq}",
            "UPDATE audit_entries SET reason = 'all changed'",
            $"DELETE FROM audit_entries WHERE seq = {seq}",
            "DELETE FROM audit_entries",
            "TRUNCATE audit_entries",
            "TRUNCATE TABLE audit_entries RESTART IDENTITY CASCADE",
        };
        foreach (var sql in statements)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            var error = await Assert.ThrowsAsync<PostgresException>(() => command.ExecuteNonQueryAsync());
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, error.SqlState);
            Assert.Contains("append-only", error.MessageText, StringComparison.Ordinal);
        }

        var after = await SnapshotAsync(api.ConnectionString);
        Assert.Equal(snapshot.Count, after.Count);
        foreach (var (key, value) in snapshot)
        {
            Assert.Equal(value, after[key]);
        }

        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    [Fact]
    public async Task Verification_WhenTrailIsUntouched_IsIntactAndChecksEveryRow()
    {
        var admin = await api.AdminAsync();
        await CreateTrialAsync(admin, NewCode("OK"), "S1");

        var verification = await admin.GetJsonAsync("/api/audit/verification");

        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("firstBrokenSequence").ValueKind);
        Assert.Equal(JsonValueKind.Null, verification.GetProperty("problem").ValueKind);
        var rowsChecked = verification.GetProperty("rowsChecked").GetInt64();
        // Nothing else writes to this class's database while a test runs; the count may only have grown since.
        var count = await ScalarAsync<long>("SELECT count(*) FROM audit_entries");
        Assert.Equal(count, rowsChecked);
        Assert.True(rowsChecked > 1);
        Assert.Equal(count, verification.GetProperty("lastSequence").GetInt64());
        Assert.Equal(
            await ScalarAsync<string>("SELECT hash FROM audit_entries WHERE seq = @p", count),
            verification.GetProperty("lastHash").GetString());
    }

    [Fact]
    public async Task SaveChanges_WhenItFails_DoesNotCarryItsAuditRowsIntoTheNextSave()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("RETRY"), "TAKEN");
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();
        var trial = await db.Trials.SingleAsync(t => t.Id == trialId);

        // The domain check is bypassed on purpose (no existing sites given): the database's unique index refuses it.
        var refused = trial.AddSite("TAKEN", "Duplicate", []);
        db.Sites.Add(refused);
        await Assert.ThrowsAsync<DbUpdateException>(() => db.SaveChangesAsync());
        db.Entry(refused).State = EntityState.Detached;
        var accepted = trial.AddSite(NewCode("FRESH"), "Accepted", []);
        db.Sites.Add(accepted);
        await db.SaveChangesAsync();

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE entity_id = @p", refused.Id.ToString()));
        Assert.True(await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE entity_id = @p", accepted.Id.ToString()) > 0);
    }

    [Fact]
    public async Task Verification_WhenRowContentWasTampered_NamesThatRow()
    {
        await using var own = new EdcApiFactory();
        await own.InitializeAsync();
        var admin = await own.AdminAsync();
        await CreateTrialAsync(admin, NewCode("TMP"), "S1");
        var total = await Sql.ScalarAsync<long>(own.ConnectionString, "SELECT count(*) FROM audit_entries");
        var target = total / 2;
        Assert.True(target > 1);

        await Sql.ExecuteAsync(own.ConnectionString, $"""
            ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
            UPDATE audit_entries SET new_value = 'tampered' WHERE seq = {target};
            ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;
            """);

        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.False(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(target, verification.GetProperty("firstBrokenSequence").GetInt64());
        Assert.False(string.IsNullOrEmpty(verification.GetProperty("problem").GetString()));
        Assert.Equal(total, verification.GetProperty("rowsChecked").GetInt64());
    }

    [Fact]
    public async Task Verification_WhenRowWasDeleted_NamesTheRowAfterTheGap()
    {
        await using var own = new EdcApiFactory();
        await own.InitializeAsync();
        var admin = await own.AdminAsync();
        await CreateTrialAsync(admin, NewCode("DEL"), "S1");
        var total = await Sql.ScalarAsync<long>(own.ConnectionString, "SELECT count(*) FROM audit_entries");
        var target = total / 2;
        Assert.True(target > 1);

        await Sql.ExecuteAsync(own.ConnectionString, $"""
            ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
            DELETE FROM audit_entries WHERE seq = {target};
            ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;
            """);

        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.False(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(target + 1, verification.GetProperty("firstBrokenSequence").GetInt64());
        Assert.Equal(total - 1, verification.GetProperty("rowsChecked").GetInt64());
    }

    [Fact]
    public async Task Verification_WhenRowHashWasRecomputedAfterTampering_NamesTheNextRow()
    {
        // Someone who rewrites a row and its own hash still breaks the link from the row after it.
        await using var own = new EdcApiFactory();
        await own.InitializeAsync();
        var admin = await own.AdminAsync();
        await CreateTrialAsync(admin, NewCode("RH"), "S1");
        var total = await Sql.ScalarAsync<long>(own.ConnectionString, "SELECT count(*) FROM audit_entries");
        var target = total / 2;

        await Sql.ExecuteAsync(own.ConnectionString, $"""
            ALTER TABLE audit_entries DISABLE TRIGGER audit_entries_append_only;
            UPDATE audit_entries SET new_value = 'tampered' WHERE seq = {target};
            UPDATE audit_entries a SET hash = edc_audit_row_hash(a) WHERE seq = {target};
            ALTER TABLE audit_entries ENABLE TRIGGER audit_entries_append_only;
            """);

        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.False(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(target + 1, verification.GetProperty("firstBrokenSequence").GetInt64());
    }

    [Fact]
    public async Task AddSite_WhenManyRequestsRunConcurrentlyOnTwoInstances_KeepsTheChainIntactAndGapFree()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("CONC"), "S0");
        await using var second = new EdcApiFactory().WithConnectionString(api.ConnectionString);
        await second.InitializeAsync();
        var secondAdmin = await second.AdminAsync();
        var rowsBefore = await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p", trialId);

        const int requests = 40;
        var responses = await Task.WhenAll(Enumerable.Range(0, requests).Select(i =>
            (i % 2 == 0 ? admin : secondAdmin).PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = $"C{i:00}", name = $"Concurrent {i}" })));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Created, r.StatusCode));
        var siteRows = await ScalarAsync<long>("SELECT count(*) FROM audit_entries WHERE trial_id = @p", trialId) - rowsBefore;
        Assert.Equal(0, siteRows % requests);
        Assert.True(siteRows >= requests * 2);

        await using var connection = new NpgsqlConnection(api.ConnectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT count(*), min(seq), max(seq), count(DISTINCT seq) FROM audit_entries", connection);
        await using (var reader = await command.ExecuteReaderAsync())
        {
            Assert.True(await reader.ReadAsync());
            var count = reader.GetInt64(0);
            Assert.Equal(1L, reader.GetInt64(1));
            Assert.Equal(count, reader.GetInt64(2));
            Assert.Equal(count, reader.GetInt64(3));
        }

        // seq order is commit order: no row's server time is earlier than the row before it.
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM (SELECT occurred_at < lag(occurred_at) OVER (ORDER BY seq) AS backwards FROM audit_entries) t
            WHERE backwards
            """));

        foreach (var client in new[] { admin, secondAdmin })
        {
            var verification = await client.GetJsonAsync("/api/audit/verification");
            Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
            Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM audit_entries"), verification.GetProperty("rowsChecked").GetInt64());
        }
    }

    [Fact]
    public async Task AuditedTransaction_WhenEndedWithoutCommit_LeavesNeitherTheChangeNorItsAuditRows()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("ROLLBACK"), "S0");
        var rowsBefore = await ScalarAsync<long>("SELECT count(*) FROM audit_entries");
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();
        Guid siteId;

        await using (await AuditedTransaction.BeginAsync(db, reason: null, CancellationToken.None))
        {
            var trial = await db.Trials.SingleAsync(t => t.Id == trialId);
            var site = trial.AddSite(NewCode("GONE"), "Never committed", []);
            siteId = site.Id;
            db.Sites.Add(site);
            await db.SaveChangesAsync();
        }

        Assert.Equal(0L, await ScalarAsync<long>("SELECT count(*) FROM sites WHERE id = @p", siteId));
        Assert.Equal(rowsBefore, await ScalarAsync<long>("SELECT count(*) FROM audit_entries"));
        Assert.True((await admin.GetJsonAsync("/api/audit/verification")).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task AuditedTransaction_WhenCommitted_WritesItsAuditRowsWithTheCommitAndChainsThem()
    {
        var admin = await api.AdminAsync();
        var trialId = await CreateTrialAsync(admin, NewCode("COMMIT"), "S0");
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();

        await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, CancellationToken.None);
        var trial = await db.Trials.SingleAsync(t => t.Id == trialId);
        var site = trial.AddSite(NewCode("KEPT"), "Committed", []);
        db.Sites.Add(site);
        await db.SaveChangesAsync();

        // Saved but not yet sent: the rows go with the COMMIT, so the chain's lock is not held before it. (In this
        // database: pg_locks shows the whole cluster, where other test classes' databases take the same key.)
        Assert.Equal(0L, await ScalarAsync<long>("""
            SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND classid = 2001 AND objid = 1 AND granted
              AND database = (SELECT oid FROM pg_database WHERE datname = current_database())
            """));
        await transaction.CommitAsync(CancellationToken.None);

        Assert.Equal(1L, await ScalarAsync<long>("SELECT count(*) FROM sites WHERE id = @p", site.Id));
        Assert.Equal("Committed", await ScalarAsync<string>(
            "SELECT new_value FROM audit_entries WHERE entity_type = 'Site' AND entity_id = @p AND field = 'Name'", site.Id.ToString()));

        // A save after the COMMIT is a change of its own, audited in its own transaction.
        var later = trial.AddSite(NewCode("LATER"), "Saved after", []);
        db.Sites.Add(later);
        await db.SaveChangesAsync();
        Assert.Equal("Saved after", await ScalarAsync<string>(
            "SELECT new_value FROM audit_entries WHERE entity_type = 'Site' AND entity_id = @p AND field = 'Name'", later.Id.ToString()));
        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
        Assert.Equal(await ScalarAsync<long>("SELECT count(*) FROM audit_entries"), verification.GetProperty("rowsChecked").GetInt64());
    }

    [Fact]
    public async Task ClinicalWrites_WhenManyRunConcurrentlyOnTwoInstances_KeepTheChainIntactAndGapFree()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        await using var second = new EdcApiFactory().WithConnectionString(api.ConnectionString);
        await second.InitializeAsync();
        var coordinators = new[]
        {
            await api.ClientForNewUserAsync(admin, "Coordinator", siteId),
            await second.ClientForNewUserAsync(await second.AdminAsync(), "Coordinator", siteId),
        };

        var registered = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => coordinators[i % 2].RegisterAsync(trialId, siteId)));

        Assert.Equal(40, registered.Distinct().Count());
        Assert.Equal(40L, await ScalarAsync<long>(
            "SELECT count(DISTINCT entity_id) FROM audit_entries WHERE entity_type = 'Participant' AND action = 'Insert' AND trial_id = @p", trialId));
        Assert.Equal(0L, await ScalarAsync<long>(
            "SELECT count(*) FROM (SELECT seq - lag(seq) OVER (ORDER BY seq) AS step FROM audit_entries) t WHERE step <> 1"));
        var verification = await admin.GetJsonAsync("/api/audit/verification");
        Assert.True(verification.GetProperty("intact").GetBoolean(), verification.ToString());
    }

    private static string NewCode(string prefix) => $"{prefix}-{Guid.NewGuid().ToString("N")[..8].ToUpperInvariant()}";

    private static Dictionary<string, object> TrialBody(string code, params string[] siteCodes) => new()
    {
        ["code"] = code,
        ["title"] = "Audit test " + code,
        ["arms"] = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "B", name = "Placebo", ratio = 1 } },
        ["visitDefinitions"] = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 2, procedures = new[] { "Mrss", "Infusion" } } },
        ["eligibilityCriteria"] = new[] { new { code = "AGE", kind = "Inclusion", text = "Aged 18 or over" } },
        ["sites"] = siteCodes.Select(s => new { code = s, name = "Site " + s }).ToArray(),
    };

    private static async Task<Guid> CreateTrialAsync(HttpClient admin, string code, params string[] siteCodes)
    {
        var response = await admin.PostAsJsonAsync("/api/trials", TrialBody(code, siteCodes));
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Every row of GET /api/trials/{id}/audit with the given query, all pages.</summary>
    private static async Task<List<JsonElement>> AuditAsync(HttpClient client, Guid trialId, string query = "")
    {
        var rows = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var body = await client.GetJsonAsync($"/api/trials/{trialId}/audit?pageSize=200&page={page}&{query}");
            var items = body.GetProperty("items").EnumerateArray().ToList();
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= body.GetProperty("total").GetInt32())
            {
                Assert.Equal(body.GetProperty("total").GetInt32(), rows.Count);
                return rows;
            }
        }
    }

    private static string? Str(JsonElement row, string property) =>
        row.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static Guid? SiteOf(JsonElement row) =>
        row.GetProperty("siteId").ValueKind == JsonValueKind.Null ? null : row.GetProperty("siteId").GetGuid();

    private static DateTimeOffset OccurredAt(JsonElement row) => row.GetProperty("occurredAt").GetDateTimeOffset();

    private static List<long> Sequences(IEnumerable<JsonElement> rows) => [.. rows.Select(r => r.GetProperty("sequence").GetInt64()).Order()];

    private static string Instant(DateTimeOffset value) =>
        Uri.EscapeDataString(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.ffffff'Z'", System.Globalization.CultureInfo.InvariantCulture));

    private Task<T> ScalarAsync<T>(string sql, object? parameter = null) => Sql.ScalarAsync<T>(api.ConnectionString, sql, parameter);

    private static async Task<Dictionary<long, string>> SnapshotAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT seq, row_to_json(a)::text FROM audit_entries a", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new Dictionary<long, string>();
        while (await reader.ReadAsync())
        {
            rows[reader.GetInt64(0)] = reader.GetString(1);
        }

        return rows;
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Emergency unblinding (an investigator of the participant's site, reason and password again, the arm to that caller
/// only, audited, the statistician and admins told), the data safety board's requests and the statistician's decision,
/// the database lock, and the final unblinding after it. Each test uses a trial of its own.
/// </summary>
public sealed class UnblindingTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string Reason = "Severe hypotension during infusion, treating physician needs the arm";

    // ---- Emergency unblinding ----

    [Fact]
    public async Task EmergencyUnblinding_WhenInvestigatorOfTheSiteGivesReasonAndPassword_ReturnsTheArmOfTheList()
    {
        var t = await TrialAsync();
        var before = DateTimeOffset.UtcNow;

        var response = await UnblindAsync(t.InvestigatorA, t, t.Randomized[1]);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var revealed = await response.JsonAsync();
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.Trial.Id);
        Assert.Equal(armOf[t.Randomized[1]], revealed.GetProperty("armCode").GetString());
        Assert.Equal(DistinctiveTrial.ArmNames[armOf[t.Randomized[1]]], revealed.GetProperty("armName").GetString());
        var at = revealed.GetProperty("unblindedAt").GetDateTimeOffset();
        Assert.Equal(TimeSpan.Zero, at.Offset);
        Assert.InRange(at, before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.EndsWith("Z", revealed.GetProperty("unblindedAt").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmergencyUnblinding_WhenPasswordIsWrong_Returns403AndRecordsNothing()
    {
        var t = await TrialAsync();
        var participant = t.Randomized[0];

        var response = await t.InvestigatorA.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/participants/{participant}/emergency-unblinding", new { reason = Reason, password = "Not-The-Password-123" });

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        AssertNoArmStrings(await response.Content.ReadAsStringAsync());
        var view = await t.InvestigatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{participant}");
        Assert.Equal(JsonValueKind.Null, view.GetProperty("emergencyUnblinding").ValueKind);
        Assert.False(view.TryGetProperty("arm", out _));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE entity_id = @p AND (action = 'EmergencyUnblinding' OR reason IS NOT NULL)", participant.ToString()));
        Assert.Equal(0L, await NotificationCountAsync(t.Trial.Id));

        // The caller stays signed in: a mistyped password is not a failed login.
        await t.InvestigatorA.GetJsonAsync("/api/me");
    }

    [Fact]
    public async Task EmergencyUnblinding_WhenReasonOrPasswordMissing_Returns400()
    {
        var t = await TrialAsync();
        var path = $"/api/trials/{t.Trial.Id}/participants/{t.Randomized[0]}/emergency-unblinding";

        var noReason = await t.InvestigatorA.PostAsJsonAsync(path, new { password = TestData.UserPassword });
        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));

        var blankReason = await t.InvestigatorA.PostAsJsonAsync(path, new { reason = "  ", password = TestData.UserPassword });
        await blankReason.AssertProblemAsync(HttpStatusCode.BadRequest);

        var noPassword = await t.InvestigatorA.PostAsJsonAsync(path, new { reason = Reason });
        await noPassword.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noPassword.JsonAsync()).GetProperty("errors").TryGetProperty("password", out _));

        var view = await t.InvestigatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{t.Randomized[0]}");
        Assert.Equal(JsonValueKind.Null, view.GetProperty("emergencyUnblinding").ValueKind);
        Assert.Equal(0L, await NotificationCountAsync(t.Trial.Id));
    }

    [Fact]
    public async Task EmergencyUnblinding_WhenCoordinatorOfTheSite_Returns403()
    {
        var t = await TrialAsync();

        var response = await UnblindAsync(t.CoordinatorA, t, t.Randomized[0]);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        AssertNoArmStrings(await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task EmergencyUnblinding_WhenInvestigatorOfAnotherSite_Returns404()
    {
        var t = await TrialAsync();
        var investigatorB = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteB);

        var response = await UnblindAsync(investigatorB, t, t.Randomized[0]);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        AssertNoArmStrings(await response.Content.ReadAsStringAsync());
        var view = await t.CoordinatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{t.Randomized[0]}");
        Assert.Equal(JsonValueKind.Null, view.GetProperty("emergencyUnblinding").ValueKind);
    }

    [Fact]
    public async Task EmergencyUnblinding_WhenParticipantNotRandomized_Returns409()
    {
        var t = await TrialAsync();

        var response = await UnblindAsync(t.InvestigatorA, t, t.Enrolled);

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("NotRandomized", (await response.JsonAsync()).GetProperty("rule").GetString());
        Assert.Equal(0L, await NotificationCountAsync(t.Trial.Id));
    }

    [Fact]
    public async Task GetParticipant_AfterEmergencyUnblinding_ShowsWhoWhenWhyToEveryoneAndTheArmOnlyToTheUnblinder()
    {
        var t = await TrialAsync();
        var participant = t.Randomized[0];
        var unblinded = await UnblindAsync(t.InvestigatorA, t, participant);
        Assert.Equal(HttpStatusCode.OK, unblinded.StatusCode);
        var at = (await unblinded.JsonAsync()).GetProperty("unblindedAt").GetDateTimeOffset();
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.Trial.Id);
        var otherInvestigator = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteA);
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);

        foreach (var (who, client) in new[] { ("coordinator", t.CoordinatorA), ("other investigator", otherInvestigator), ("DsmbMember", dsmb), ("Admin", t.Admin) })
        {
            var response = await client.GetAsync($"/api/trials/{t.Trial.Id}/participants/{participant}");
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{who}: {body}");
            AssertNoArmStrings(body);
            var view = JsonDocument.Parse(body).RootElement;
            Assert.False(view.TryGetProperty("arm", out _), who + " sees the arm");
            var record = view.GetProperty("emergencyUnblinding");
            Assert.Equal(t.InvestigatorAId, record.GetProperty("by").GetGuid());
            // Within a millisecond: the answer carries the clock's ticks, the database keeps microseconds.
            Assert.InRange(record.GetProperty("at").GetDateTimeOffset() - at, TimeSpan.FromMilliseconds(-1), TimeSpan.FromMilliseconds(1));
            Assert.Equal(Reason, record.GetProperty("reason").GetString());

            var list = await client.GetAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200");
            AssertNoArmStrings(await list.Content.ReadAsStringAsync());
        }

        // The unblinding investigator sees that participant's arm, and no other.
        var own = await t.InvestigatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{participant}");
        Assert.Equal(armOf[participant], own.GetProperty("arm").GetProperty("code").GetString());
        Assert.Equal(DistinctiveTrial.ArmNames[armOf[participant]], own.GetProperty("arm").GetProperty("name").GetString());
        var page = await t.InvestigatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200");
        var withArm = page.GetProperty("items").EnumerateArray().Where(p => p.TryGetProperty("arm", out _)).Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal([participant], withArm);
    }

    [Fact]
    public async Task EmergencyUnblinding_IsAuditedWithTheReasonAndNoAuditRowHoldsAnArm()
    {
        var t = await TrialAsync();
        var participant = t.Randomized[0];
        Assert.Equal(HttpStatusCode.OK, (await UnblindAsync(t.InvestigatorA, t, participant)).StatusCode);

        var rows = (await t.Admin.GetJsonAsync($"/api/audit?entityType=Participant&entityId={participant}&pageSize=200"))
            .GetProperty("items").EnumerateArray().ToList();
        var unblinding = Assert.Single(rows, r => r.GetProperty("action").GetString() == "EmergencyUnblinding");
        Assert.Equal(Reason, unblinding.GetProperty("reason").GetString());
        Assert.Equal(t.InvestigatorAId, unblinding.GetProperty("userId").GetGuid());
        Assert.Equal(t.Trial.Id, unblinding.GetProperty("trialId").GetGuid());
        Assert.Equal(t.SiteA, unblinding.GetProperty("siteId").GetGuid());
        Assert.Contains(rows, r => r.GetProperty("field").GetString() == "EmergencyUnblindingReason" && r.GetProperty("newValue").GetString() == Reason);

        // The investigator of the site sees the event in the trial's audit too.
        var siteRows = (await t.InvestigatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/audit?entityType=Participant&entityId={participant}&pageSize=200"))
            .GetProperty("items").EnumerateArray();
        Assert.Contains(siteRows, r => r.GetProperty("action").GetString() == "EmergencyUnblinding");

        // No audit row anywhere holds an arm, except the definition's own rows (entity type TrialArm).
        var armRows = await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE entity_type <> 'TrialArm' AND concat_ws('|', old_value, new_value, reason) ~* @p",
            string.Join('|', DistinctiveTrial.ArmStrings));
        Assert.Equal(0L, armRows);
    }

    [Fact]
    public async Task EmergencyUnblinding_QueuesNotificationsForEveryActiveAdminAndStatisticianWithoutTheArm()
    {
        var t = await TrialAsync();
        var (inactiveAdminId, _) = await t.Admin.CreateUserAsync([Roles.Admin]);
        var deactivated = await t.Admin.PatchAsJsonAsync($"/api/users/{inactiveAdminId}", new { active = false, reason = "Left the study team" });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);
        var users = (await t.Admin.GetJsonAsync("/api/users?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        Assert.True(users.Count < 200, "more users than one page");
        var expected = users
            .Where(u => u.GetProperty("active").GetBoolean())
            .Where(u => u.GetProperty("roles").EnumerateArray().Any(r => r.GetString() is Roles.Admin or Roles.UnblindedStatistician))
            .Select(u => u.GetProperty("id").GetGuid().ToString())
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.Contains(t.StatisticianId.ToString(), expected);
        Assert.DoesNotContain(inactiveAdminId.ToString(), expected);

        Assert.Equal(HttpStatusCode.OK, (await UnblindAsync(t.InvestigatorA, t, t.Randomized[0])).StatusCode);

        var recipients = await Sql.ScalarAsync<string>(
            api.ConnectionString,
            "SELECT coalesce(string_agg(recipient_user_id::text, ',' ORDER BY recipient_user_id::text), '') FROM notifications WHERE trial_id = @p AND kind = 'EmergencyUnblinding'",
            t.Trial.Id);
        Assert.Equal(expected, recipients.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
        var naming = await Sql.ScalarAsync<long>(
            api.ConnectionString,
            $"SELECT count(*) FROM notifications WHERE trial_id = @p AND concat_ws('|', subject, body) ~* '{string.Join('|', DistinctiveTrial.ArmStrings)}'",
            t.Trial.Id);
        Assert.Equal(0L, naming);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM notifications WHERE trial_id = @p AND delivered_at IS NOT NULL", t.Trial.Id));
    }

    // ---- Data safety board requests ----

    [Fact]
    public async Task UnblindingRequest_WhenApproved_Returns201Pending200ApprovedThen409AndIsAudited()
    {
        var t = await TrialAsync();
        var (dsmbId, dsmbEmail) = await t.Admin.CreateUserAsync([Roles.DsmbMember]);
        var dsmb = await api.LoginAsync(dsmbEmail, TestData.UserPassword);
        const string justification = "Excess of serious infections in one masked group at the interim look";
        const string comment = "Approved for the closed session of the board only";

        var created = await dsmb.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests", new { justification });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var request = await created.JsonAsync();
        var requestId = request.GetProperty("id").GetGuid();
        Assert.Equal("Pending", request.GetProperty("status").GetString());
        Assert.Equal(justification, request.GetProperty("justification").GetString());
        Assert.Equal(dsmbId, request.GetProperty("requestedBy").GetGuid());
        Assert.EndsWith($"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}", created.Headers.Location!.ToString(), StringComparison.Ordinal);

        var decided = await t.Statistician.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}/decision", new { approve = true, comment });
        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        var decision = await decided.JsonAsync();
        Assert.Equal("Approved", decision.GetProperty("status").GetString());
        Assert.Equal(comment, decision.GetProperty("decisionComment").GetString());
        Assert.Equal(t.StatisticianId, decision.GetProperty("decidedBy").GetGuid());
        AssertNoArmStrings(decision.GetRawText());

        var again = await t.Statistician.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}/decision", new { approve = false, comment = "Changed my mind" });
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("RequestAlreadyDecided", (await again.JsonAsync()).GetProperty("rule").GetString());

        var list = await dsmb.GetJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests");
        var item = Assert.Single(list.GetProperty("items").EnumerateArray());
        Assert.Equal("Approved", item.GetProperty("status").GetString());
        Assert.Equal(comment, item.GetProperty("decisionComment").GetString());
        AssertNoArmStrings(list.GetRawText());

        var rows = (await t.Admin.GetJsonAsync($"/api/audit?entityType=UnblindingRequest&entityId={requestId}&pageSize=200"))
            .GetProperty("items").EnumerateArray().ToList();
        var justified = Assert.Single(rows, r => r.GetProperty("field").GetString() == "Justification");
        Assert.Equal("Insert", justified.GetProperty("action").GetString());
        Assert.Equal(justification, justified.GetProperty("newValue").GetString());
        Assert.Equal(dsmbId, justified.GetProperty("userId").GetGuid());
        var status = Assert.Single(rows, r => r.GetProperty("field").GetString() == "Status" && r.GetProperty("action").GetString() == "Update");
        Assert.Equal("Pending", status.GetProperty("oldValue").GetString());
        Assert.Equal("Approved", status.GetProperty("newValue").GetString());
        Assert.Equal(comment, status.GetProperty("reason").GetString());
        Assert.Equal(t.StatisticianId, status.GetProperty("userId").GetGuid());

        // The refused second decision changed nothing and left no row.
        Assert.DoesNotContain(rows, r => r.GetProperty("reason").GetString() == "Changed my mind");
    }

    [Fact]
    public async Task UnblindingRequest_WhenRejected_Returns200RejectedWithTheComment()
    {
        var t = await TrialAsync();
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);
        var created = await dsmb.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests", new { justification = "Curiosity about efficacy" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var requestId = (await created.JsonAsync()).GetProperty("id").GetGuid();

        var decided = await t.Statistician.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}/decision", new { approve = false, comment = "No safety signal justifies it" });

        Assert.Equal(HttpStatusCode.OK, decided.StatusCode);
        Assert.Equal("Rejected", (await decided.JsonAsync()).GetProperty("status").GetString());
        var item = Assert.Single((await dsmb.GetJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests")).GetProperty("items").EnumerateArray());
        Assert.Equal("Rejected", item.GetProperty("status").GetString());
        var rows = (await t.Admin.GetJsonAsync($"/api/audit?entityType=UnblindingRequest&entityId={requestId}&pageSize=200")).GetProperty("items").EnumerateArray();
        Assert.Contains(rows, r => r.GetProperty("field").GetString() == "Status" && r.GetProperty("newValue").GetString() == "Rejected"
            && r.GetProperty("reason").GetString() == "No safety signal justifies it");

        // A board member still sees no arm after a rejected request.
        AssertNoArmStrings(await (await dsmb.GetAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task UnblindingRequest_WhenJustificationOrCommentMissing_Returns400AndCreatesNothing()
    {
        var t = await TrialAsync();
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);

        var noJustification = await dsmb.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests", new { });
        await noJustification.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noJustification.JsonAsync()).GetProperty("errors").TryGetProperty("justification", out _));
        Assert.Equal(0, (await dsmb.GetJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests")).GetProperty("total").GetInt32());

        var created = await dsmb.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests", new { justification = "Hepatotoxicity signal" });
        var requestId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var noComment = await t.Statistician.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}/decision", new { approve = true });
        await noComment.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noComment.JsonAsync()).GetProperty("errors").TryGetProperty("comment", out _));
        var noApprove = await t.Statistician.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests/{requestId}/decision", new { comment = "Yes" });
        await noApprove.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal("Pending", Assert.Single((await dsmb.GetJsonAsync($"/api/trials/{t.Trial.Id}/unblinding-requests")).GetProperty("items").EnumerateArray())
            .GetProperty("status").GetString());

        var unknown = await t.Statistician.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/unblinding-requests/{Guid.NewGuid()}/decision", new { approve = true, comment = "Yes" });
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Database lock and final unblinding ----

    [Fact]
    public async Task Lock_WhenAdminLocks_Returns200LockedAndEveryClinicalChangeAfterwardsIs409()
    {
        var t = await TrialAsync();
        var screening = await t.CoordinatorA.RegisterAsync(t.Trial.Id, t.SiteA);

        var locked = await t.Admin.PostAsync($"/api/trials/{t.Trial.Id}/lock", null);

        Assert.True(locked.StatusCode == HttpStatusCode.OK, await locked.Content.ReadAsStringAsync());
        Assert.Equal("Locked", (await locked.JsonAsync()).GetProperty("status").GetString());
        var definition = await t.CoordinatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}");
        Assert.Equal("Locked", definition.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.String, definition.GetProperty("lockedAt").ValueKind);

        var eligibility = await t.CoordinatorA.EligibleAnswersAsync(t.Trial.Id);
        var attempts = new (string What, Func<Task<HttpResponseMessage>> Send)[]
        {
            ("registration", () => t.CoordinatorA.PostAsJsonAsync($"/api/trials/{t.Trial.Id}/participants", new { siteId = t.SiteA })),
            ("enrollment", () => t.CoordinatorA.PostAsJsonAsync(
                $"/api/trials/{t.Trial.Id}/participants/{screening}/enrollment", new { consentDate = "2026-01-15", eligibility, strata = new { } })),
            ("randomization", () => t.InvestigatorA.RandomizeAsync(t.Trial.Id, t.Enrolled)),
            ("withdrawal", () => t.CoordinatorA.PostAsJsonAsync(
                $"/api/trials/{t.Trial.Id}/participants/{t.Randomized[0]}/withdrawal", new { date = "2026-03-01", reason = "Lost to follow-up" })),
            ("withdrawal of an enrolled participant", () => t.InvestigatorA.PostAsJsonAsync(
                $"/api/trials/{t.Trial.Id}/participants/{t.Enrolled}/withdrawal", new { date = "2026-03-01", reason = "Consent withdrawn" })),
            ("a new randomization list", () => t.Statistician.PostAsJsonAsync(
                $"/api/trials/{t.Trial.Id}/randomization-list", new { seed = 1, blockSizes = new[] { 2 }, slotsPerStratum = 4 })),
        };
        foreach (var (what, send) in attempts)
        {
            var response = await send();
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.Conflict, $"{what} after the lock: {(int)response.StatusCode} {body}");
            Assert.Equal("TrialLocked", JsonDocument.Parse(body).RootElement.GetProperty("rule").GetString());
        }

        // Nothing changed: the participants are as they were.
        var page = await t.CoordinatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200");
        var statuses = page.GetProperty("items").EnumerateArray().ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("status").GetString());
        Assert.Equal(t.Randomized.Count + 2, statuses.Count);
        Assert.Equal("Screening", statuses[screening]);
        Assert.Equal("Enrolled", statuses[t.Enrolled]);
        Assert.All(t.Randomized, id => Assert.Equal("Randomized", statuses[id]));

        var again = await t.Admin.PostAsync($"/api/trials/{t.Trial.Id}/lock", null);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialLocked", (await again.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task FinalUnblinding_WhenTrialNotLocked_Returns409TrialNotLockedAndArmsStayHidden()
    {
        var t = await TrialAsync();

        var response = await t.Statistician.PostAsync($"/api/trials/{t.Trial.Id}/final-unblinding", null);

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialNotLocked", (await response.JsonAsync()).GetProperty("rule").GetString());
        var definition = await t.Admin.GetJsonAsync($"/api/trials/{t.Trial.Id}");
        Assert.Equal(JsonValueKind.Null, definition.GetProperty("finalUnblindedAt").ValueKind);
        AssertNoArmStrings(await (await t.CoordinatorA.GetAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200")).Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task FinalUnblinding_AfterTheLock_ShowsArmsToEveryRoleOfTheTrialAndOnlyOnce()
    {
        var t = await TrialAsync();
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.Trial.Id);
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PostAsync($"/api/trials/{t.Trial.Id}/lock", null)).StatusCode);

        // Locked but not yet unblinded: still blind.
        AssertNoArmStrings(await (await t.CoordinatorA.GetAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200")).Content.ReadAsStringAsync());

        var before = DateTimeOffset.UtcNow;
        var response = await t.Statistician.PostAsync($"/api/trials/{t.Trial.Id}/final-unblinding", null);

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var unblinded = await response.JsonAsync();
        Assert.Equal(t.Trial.Id, unblinded.GetProperty("trialId").GetGuid());
        Assert.InRange(unblinded.GetProperty("unblindedAt").GetDateTimeOffset(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));

        foreach (var (who, client) in new[] { ("Coordinator", t.CoordinatorA), ("Investigator", t.InvestigatorA), ("DsmbMember", dsmb), ("Admin", t.Admin) })
        {
            foreach (var id in t.Randomized)
            {
                var view = await client.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{id}");
                Assert.True(view.TryGetProperty("arm", out var arm), $"{who} does not see the arm of {id} after the final unblinding");
                Assert.Equal(armOf[id], arm.GetProperty("code").GetString());
                Assert.Equal(DistinctiveTrial.ArmNames[armOf[id]], arm.GetProperty("name").GetString());
            }

            var page = await client.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants?pageSize=200&status=Randomized");
            Assert.All(page.GetProperty("items").EnumerateArray(), p =>
                Assert.Equal(armOf[p.GetProperty("id").GetGuid()], p.GetProperty("arm").GetProperty("code").GetString()));

            // Still no arm for a participant who was never randomized.
            Assert.False((await client.GetJsonAsync($"/api/trials/{t.Trial.Id}/participants/{t.Enrolled}")).TryGetProperty("arm", out _));
        }

        var definition = await t.CoordinatorA.GetJsonAsync($"/api/trials/{t.Trial.Id}");
        Assert.Equal(JsonValueKind.String, definition.GetProperty("finalUnblindedAt").ValueKind);
        var trialRows = (await t.Admin.GetJsonAsync($"/api/audit?entityType=Trial&entityId={t.Trial.Id}&pageSize=200")).GetProperty("items").EnumerateArray();
        Assert.Contains(trialRows, r => r.GetProperty("field").GetString() == "FinalUnblindedAt" && r.GetProperty("userId").GetGuid() == t.StatisticianId);
        Assert.Contains(trialRows, r => r.GetProperty("field").GetString() == "Status" && r.GetProperty("newValue").GetString() == "Locked");

        var again = await t.Statistician.PostAsync($"/api/trials/{t.Trial.Id}/final-unblinding", null);
        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("AlreadyUnblinded", (await again.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task FinalUnblinding_OfOneTrial_LeavesAnotherTrialBlind()
    {
        var unblinded = await TrialAsync();
        var blind = await TrialAsync();
        Assert.Equal(HttpStatusCode.OK, (await unblinded.Admin.PostAsync($"/api/trials/{unblinded.Trial.Id}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await unblinded.Statistician.PostAsync($"/api/trials/{unblinded.Trial.Id}/final-unblinding", null)).StatusCode);

        var dsmb = await api.ClientForNewUserAsync(blind.Admin, Roles.DsmbMember);
        AssertNoArmStrings(await (await dsmb.GetAsync($"/api/trials/{blind.Trial.Id}/participants?pageSize=200")).Content.ReadAsStringAsync());
        AssertNoArmStrings(await (await blind.CoordinatorA.GetAsync($"/api/trials/{blind.Trial.Id}/participants/{blind.Randomized[0]}")).Content.ReadAsStringAsync());
        Assert.Contains("ZQXARM", await (await dsmb.GetAsync($"/api/trials/{unblinded.Trial.Id}/participants?pageSize=200")).Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    // ---- Helpers ----

    private static Task<HttpResponseMessage> UnblindAsync(HttpClient client, TrialSetup t, Guid participantId) =>
        client.PostAsJsonAsync(
            $"/api/trials/{t.Trial.Id}/participants/{participantId}/emergency-unblinding", new { reason = Reason, password = TestData.UserPassword });

    private Task<long> NotificationCountAsync(Guid trialId) =>
        Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM notifications WHERE trial_id = @p", trialId);

    private static void AssertNoArmStrings(string body)
    {
        foreach (var secret in DistinctiveTrial.ArmStrings)
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private sealed record TrialSetup(
        HttpClient Admin,
        DistinctiveTrial.Created Trial,
        Guid SiteA,
        Guid SiteB,
        HttpClient Statistician,
        Guid StatisticianId,
        HttpClient CoordinatorA,
        HttpClient InvestigatorA,
        Guid InvestigatorAId,
        IReadOnlyList<Guid> Randomized,
        Guid Enrolled);

    /// <summary>A new trial (no strata) with sites ZA and ZB, a list, three randomized participants and one enrolled at ZA.</summary>
    private async Task<TrialSetup> TrialAsync()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["ZA", "ZB"], stratified: false);
        var (siteA, siteB) = (trial.Sites["ZA"], trial.Sites["ZB"]);
        var (statisticianId, statisticianEmail) = await admin.CreateUserAsync([Roles.UnblindedStatistician]);
        var statistician = await api.LoginAsync(statisticianEmail, TestData.UserPassword);
        await statistician.CreateListAsync(trial.Id, seed: 99, slotsPerStratum: 8);
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, siteA);
        var (investigatorId, investigatorEmail) = await admin.CreateUserAsync([Roles.Investigator], siteA);
        var investigator = await api.LoginAsync(investigatorEmail, TestData.UserPassword);

        var randomized = new List<Guid>();
        for (var i = 0; i < 3; i++)
        {
            randomized.Add(await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, siteA, level: null));
        }

        var enrolled = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, siteA, level: null, randomize: false);
        return new TrialSetup(admin, trial, siteA, siteB, statistician, statisticianId, coordinator, investigator, investigatorId, randomized, enrolled);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Electronic signatures (21 CFR Part 11 §11.50, §11.70, §11.200): an investigator of the site signs a visit or the
/// casebook with their password entered again; the signature shows its signer's name, time and meaning wherever the
/// signed data are shown, is bound to the data by a hash, and is invalidated (never deleted) when the data change.
/// </summary>
public sealed class SignatureTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly JsonSerializerOptions AsWritten = new();

    private static readonly string[] Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private static DateOnly Today => DateOnly.FromDateTime(DateTime.UtcNow);

    // ---- Signing ----

    [Fact]
    public async Task Sign_AVisitWhoseFormsAreComplete_ByTheSitesInvestigator_Returns201WithNameTimeMeaningAndHash()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);

        var response = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Visit", visitCode = visit, meaning = "Approval", password = TestData.UserPassword });

        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var signature = await response.JsonAsync();
        Assert.Equal("Test Investigator", signature.GetProperty("signerName").GetString());
        Assert.Equal("Approval", signature.GetProperty("meaning").GetString());
        Assert.Equal("Visit", signature.GetProperty("scope").GetString());
        Assert.Equal(visit, signature.GetProperty("visitCode").GetString());
        Assert.Matches("^[0-9a-f]{64}$", signature.GetProperty("contentHash").GetString()!);
        Assert.InRange(signature.GetProperty("signedAt").GetDateTimeOffset(), DateTimeOffset.UtcNow.AddMinutes(-5), DateTimeOffset.UtcNow.AddMinutes(1));

        var listed = Assert.Single((await s.P.Coordinator.GetJsonAsync(Signatures(s.P))).EnumerateArray());
        Assert.Equal(signature.GetProperty("id").GetGuid(), listed.GetProperty("id").GetGuid());
        Assert.True(listed.GetProperty("valid").GetBoolean());
        Assert.True(listed.GetProperty("contentMatches").GetBoolean());
        Assert.Equal(JsonValueKind.Null, listed.GetProperty("invalidatedAt").ValueKind);

        // The signing is in the audit trail, by its signer.
        Assert.Equal(1L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE entity_type = 'Signature' AND action = 'Insert' AND entity_id = @p AND field = 'ContentHash'",
            signature.GetProperty("id").GetGuid().ToString()));
    }

    [Fact]
    public async Task Sign_ByAnotherRole_Is403_ByAnInvestigatorOfAnotherSite_Is404_AndSignsNothing()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);
        var otherSite = await s.P.Admin.AddSiteAsync(s.P.TrialId, $"S{Guid.NewGuid():N}"[..8]);
        var otherInvestigator = await api.ClientForNewUserAsync(s.P.Admin, Roles.Investigator, otherSite);
        var body = new { scope = "Visit", visitCode = visit, meaning = "Approval", password = TestData.UserPassword };

        await (await s.P.Coordinator.PostAsJsonAsync(Signatures(s.P), body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await s.P.Admin.PostAsJsonAsync(Signatures(s.P), body)).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await otherInvestigator.PostAsJsonAsync(Signatures(s.P), body)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await otherInvestigator.GetAsync(Signatures(s.P))).AssertProblemAsync(HttpStatusCode.NotFound);

        Assert.Equal(0L, await SignatureCountAsync(s.P));
    }

    [Fact]
    public async Task Sign_WithAWrongPassword_Is403_RecordedInTheAuditTrail_AndCountsTowardTheLockout_ThenALockedAccountCannotSign()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);

        var wrong = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Visit", visitCode = visit, meaning = "Review", password = "not-my-password" });

        await wrong.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.EndsWith("reauthentication-failed", (await wrong.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(0L, await SignatureCountAsync(s.P));
        Assert.Equal(1, await FailedAttemptsAsync(s.Email));
        Assert.Equal("Wrong password.", await Sql.ScalarAsync<string>(
            api.ConnectionString,
            "SELECT reason FROM audit_entries WHERE action = 'SignatureRefused' AND entity_type = 'Participant' AND entity_id = @p AND user_id IS NOT NULL",
            s.P.ParticipantId.ToString()));

        // Five wrong passwords in a row (the sign-in's limit) lock the account: then even the right password cannot sign.
        for (var attempt = 2; attempt <= 5; attempt++)
        {
            await (await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Visit", visitCode = visit, meaning = "Review", password = $"wrong-{attempt}" }))
                .AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        var locked = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Visit", visitCode = visit, meaning = "Review", password = TestData.UserPassword });

        await locked.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(0L, await SignatureCountAsync(s.P));
        Assert.Equal(6L, await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE action = 'SignatureRefused' AND entity_id = @p", s.P.ParticipantId.ToString()));
        Assert.True(await Sql.ScalarAsync<bool>(api.ConnectionString, "SELECT lockout_end > now() FROM users WHERE email = @p", s.Email));
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = s.Email, password = TestData.UserPassword })).StatusCode);
    }

    [Fact]
    public async Task Sign_WhenAFormInScopeIsNotComplete_Is409FormsIncomplete_NamingEachForm()
    {
        var s = await SignerAsync();
        Assert.Equal(HttpStatusCode.OK, (await s.P.Coordinator.PutAsJsonAsync($"{s.P.Path}/visits/W2/forms/VS", new { values = new { WEIGHT = 70 } }, AsWritten)).StatusCode);

        var visit = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Visit", visitCode = "W2", meaning = "Approval", password = TestData.UserPassword });
        var casebook = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope = "Casebook", meaning = "Responsibility", password = TestData.UserPassword });

        foreach (var refused in new[] { visit, casebook })
        {
            await refused.AssertProblemAsync(HttpStatusCode.Conflict);
            var problem = await refused.JsonAsync();
            Assert.Equal("FormsIncomplete", problem.GetProperty("rule").GetString());
            Assert.Equal(
                ["W2 INFUSION NotStarted", "W2 VS InProgress"],
                problem.GetProperty("missing").EnumerateArray()
                    .Select(m => $"{m.GetProperty("visitCode").GetString()} {m.GetProperty("formCode").GetString()} {m.GetProperty("status").GetString()}")
                    .Order(StringComparer.Ordinal));
            Assert.Contains("Vital signs", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
        }

        Assert.Equal(0L, await SignatureCountAsync(s.P));
    }

    [Fact]
    public async Task ContentHash_IsTheSameForTheSameData_AndChangesWithTheData()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);

        var first = await SignAsync(s, "Visit", visit);
        var again = await SignAsync(s, "Visit", visit, "Review");
        await EditMrssAsync(s.P, visit, 2, "Face score misread");
        var afterChange = await SignAsync(s, "Visit", visit);

        Assert.Equal(first.GetProperty("contentHash").GetString(), again.GetProperty("contentHash").GetString());
        Assert.NotEqual(first.GetProperty("contentHash").GetString(), afterChange.GetProperty("contentHash").GetString());
        var listed = (await s.P.Coordinator.GetJsonAsync(Signatures(s.P))).EnumerateArray().ToList();
        Assert.Equal([false, false, true], listed.Select(l => l.GetProperty("valid").GetBoolean()));
        Assert.Equal([false, false, true], listed.Select(l => l.GetProperty("contentMatches").GetBoolean()));
    }

    // ---- Invalidation ----

    [Fact]
    public async Task EditingASignedVisitsForm_InvalidatesItsSignature_WithWhoWhenAndWhy_AuditedAndNeverDeleted()
    {
        var s = await SignerAsync();
        await CompleteW2Async(s.P);
        var signature = await SignAsync(s, "Visit", "W2");
        var before = DateTimeOffset.UtcNow;

        var edit = await s.P.Coordinator.PutWithIfMatchAsync(
            $"{s.P.Path}/visits/W2/forms/VS", new { values = Vitals(71.5m), reason = "Weight transcribed wrongly" }, TestData.ETag(1), AsWritten);

        Assert.True(edit.StatusCode == HttpStatusCode.OK, await edit.Content.ReadAsStringAsync());
        var listed = Assert.Single((await s.P.Coordinator.GetJsonAsync(Signatures(s.P))).EnumerateArray());
        Assert.False(listed.GetProperty("valid").GetBoolean());
        Assert.Equal("Test Coordinator", listed.GetProperty("invalidatedBy").GetString());
        Assert.Equal("Weight transcribed wrongly", listed.GetProperty("invalidationReason").GetString());
        Assert.InRange(listed.GetProperty("invalidatedAt").GetDateTimeOffset(), before.AddSeconds(-5), DateTimeOffset.UtcNow.AddSeconds(5));
        Assert.Equal(signature.GetProperty("contentHash").GetString(), listed.GetProperty("contentHash").GetString());
        Assert.False(listed.GetProperty("contentMatches").GetBoolean());

        // The audit trail records the invalidation with the change's reason; the database refuses to delete a signature.
        Assert.Equal("Weight transcribed wrongly", await Sql.ScalarAsync<string>(
            api.ConnectionString, "SELECT reason FROM audit_entries WHERE entity_type = 'Signature' AND action = 'Update' AND field = 'InvalidatedAt' AND entity_id = @p",
            signature.GetProperty("id").GetGuid().ToString()));
        await Assert.ThrowsAnyAsync<Npgsql.PostgresException>(() => Sql.ExecuteAsync(
            api.ConnectionString, "DELETE FROM signatures WHERE participant_id = @p", s.P.ParticipantId));
        Assert.Equal(1L, await SignatureCountAsync(s.P));
    }

    [Fact]
    public async Task EditingTheMrss_InvalidatesTheVisitsAndTheCasebooksSignatures_ButNotAnotherVisits()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);
        await CompleteW2Async(s.P);
        await SignAsync(s, "Visit", visit);
        await SignAsync(s, "Visit", "W2");
        await SignAsync(s, "Casebook", null, "Responsibility");

        await EditMrssAsync(s.P, visit, 3, "Re-examined");

        var listed = (await s.P.Coordinator.GetJsonAsync(Signatures(s.P))).EnumerateArray()
            .ToDictionary(l => l.GetProperty("visitCode").GetString() ?? "casebook", l => l);
        Assert.False(listed[visit].GetProperty("valid").GetBoolean());
        Assert.Equal("Re-examined", listed[visit].GetProperty("invalidationReason").GetString());
        Assert.False(listed["casebook"].GetProperty("valid").GetBoolean());
        Assert.True(listed["W2"].GetProperty("valid").GetBoolean());
        Assert.True(listed["W2"].GetProperty("contentMatches").GetBoolean());
    }

    [Fact]
    public async Task AddingAnAdverseEvent_InvalidatesTheCasebooksSignature_ButNoVisits()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);
        await SignAsync(s, "Visit", visit);
        var casebook = await SignAsync(s, "Casebook", null, "Responsibility");

        var recorded = await s.P.Coordinator.PostAsJsonAsync($"{s.P.Path}/adverse-events", AdverseEventForms.Mild());

        Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        var listed = (await s.P.Coordinator.GetJsonAsync(Signatures(s.P))).EnumerateArray().ToList();
        var signedCasebook = listed.Single(l => l.GetProperty("id").GetGuid() == casebook.GetProperty("id").GetGuid());
        Assert.False(signedCasebook.GetProperty("valid").GetBoolean());
        Assert.Equal("Test Coordinator", signedCasebook.GetProperty("invalidatedBy").GetString());
        Assert.False(string.IsNullOrEmpty(signedCasebook.GetProperty("invalidationReason").GetString()));
        Assert.True(listed.Single(l => l.GetProperty("scope").GetString() == "Visit").GetProperty("valid").GetBoolean());

        // Signed again, the casebook's hash covers the event.
        var resigned = await SignAsync(s, "Casebook", null, "Responsibility");
        Assert.NotEqual(casebook.GetProperty("contentHash").GetString(), resigned.GetProperty("contentHash").GetString());
    }

    // ---- Where signatures show ----

    [Fact]
    public async Task TheCasebook_TheVisitsForms_AndTheFormExport_ShowTheSignatures()
    {
        var s = await SignerAsync();
        await CompleteW2Async(s.P);
        await SignAsync(s, "Visit", "W2");

        var casebook = await s.P.Coordinator.GetJsonAsync($"{s.P.Path}/casebook");
        var form = await s.P.Coordinator.GetJsonAsync($"{s.P.Path}/visits/W2/forms/VS");
        var otherForm = await s.P.Coordinator.GetJsonAsync($"{s.P.Path}/visits/W4/forms/VS");
        var export = Csv.Records(Csv.Parse(await Csv.ExportAsync(s.P.Admin, s.P.TrialId, "forms/VS.csv")));

        var shown = Assert.Single(casebook.GetProperty("signatures").EnumerateArray());
        Assert.Equal(("Test Investigator", "Approval", "W2", true), (
            shown.GetProperty("signerName").GetString(), shown.GetProperty("meaning").GetString(), shown.GetProperty("visitCode").GetString(),
            shown.GetProperty("valid").GetBoolean()));
        var w2 = casebook.GetProperty("visits").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "W2");
        Assert.All(w2.GetProperty("forms").EnumerateArray(), f => Assert.True(f.GetProperty("signed").GetBoolean()));
        Assert.True(form.GetProperty("signed").GetBoolean());
        Assert.Equal("Test Investigator", Assert.Single(form.GetProperty("signatures").EnumerateArray()).GetProperty("signerName").GetString());
        Assert.False(otherForm.GetProperty("signed").GetBoolean());
        Assert.Empty(otherForm.GetProperty("signatures").EnumerateArray());
        var row = export.Single(r => r["participantId"] == s.P.ParticipantId.ToString() && r["visitCode"] == "W2");
        Assert.Matches(@"^Test Investigator; \d{4}-\d\d-\d\dT[0-9:.]+Z; Approval; Visit W2; valid$", row["signatures"]);
    }

    // ---- Idempotency ----

    [Fact]
    public async Task Sign_RetriedWithTheSameKey_ReplaysTheFirstSignature_WhateverPasswordTheRetrySends_AndKeepsNoHashOfThePassword()
    {
        var s = await SignerAsync();
        var visit = await MrssVisitAsync(s.P);
        var key = Guid.NewGuid().ToString();

        var first = await PostWithKeyAsync(s, key, TestData.UserPassword);
        var retry = await PostWithKeyAsync(s, key, TestData.UserPassword);
        var guessed = await PostWithKeyAsync(s, key, "a-guess");

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal((HttpStatusCode.Created, HttpStatusCode.Created), (retry.StatusCode, guessed.StatusCode));
        Assert.Equal("true", guessed.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader).Single());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await guessed.Content.ReadAsStringAsync());
        Assert.Equal(1L, await SignatureCountAsync(s.P));

        // A key's answer does not tell a right password from a wrong one, so the replay neither signs nor confirms a guess;
        // a wrong password under a new key is checked and counted.
        Assert.Equal(0, await FailedAttemptsAsync(s.Email));
        await (await PostWithKeyAsync(s, Guid.NewGuid().ToString(), "a-guess")).AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.Equal(1, await FailedAttemptsAsync(s.Email));

        Task<HttpResponseMessage> PostWithKeyAsync(Signer signer, string idempotencyKey, string password)
        {
            var request = new HttpRequestMessage(HttpMethod.Post, Signatures(signer.P))
            {
                Content = JsonContent.Create(new { scope = "Visit", visitCode = visit, meaning = "Approval", password }),
            };
            request.Headers.Add(IdempotencyMiddleware.KeyHeader, idempotencyKey);
            return signer.Investigator.SendAsync(request);
        }
    }

    // ---- Helpers ----

    private sealed record Signer(RandomizedParticipant P, HttpClient Investigator, string Email);

    private static string Signatures(RandomizedParticipant p) => $"{p.Path}/signatures";

    private async Task<Signer> SignerAsync()
    {
        var p = await api.RandomizedAsync();
        var (_, email) = await p.Admin.CreateUserAsync([Roles.Investigator], p.SiteId);
        return new Signer(p, await api.LoginAsync(email, TestData.UserPassword), email);
    }

    private static async Task<JsonElement> SignAsync(Signer s, string scope, string? visitCode, string meaning = "Approval")
    {
        var response = await s.Investigator.PostAsJsonAsync(Signatures(s.P), new { scope, visitCode, meaning, password = TestData.UserPassword });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    /// <summary>An unscheduled visit whose one form is the MRSS, recorded: its code.</summary>
    private static async Task<string> MrssVisitAsync(RandomizedParticipant p)
    {
        var added = await p.Coordinator.PostAsJsonAsync($"{p.Path}/visits", new { name = "Flare", actualDate = Today, procedures = new[] { "Mrss" } });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var code = (await added.JsonAsync()).GetProperty("code").GetString()!;
        var mrss = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/{code}/mrss", Mrss(1, null));
        Assert.True(mrss.StatusCode == HttpStatusCode.OK, await mrss.Content.ReadAsStringAsync());
        return code;
    }

    private static async Task EditMrssAsync(RandomizedParticipant p, string visitCode, int score, string reason)
    {
        var path = $"{p.Path}/visits/{visitCode}/mrss";
        var current = await p.Coordinator.GetAsync(path);
        var edited = await p.Coordinator.PutWithIfMatchAsync(path, Mrss(score, reason), TestData.ETagOf(current));
        Assert.True(edited.StatusCode == HttpStatusCode.OK, await edited.Content.ReadAsStringAsync());
    }

    private static object Mrss(int score, string? reason) =>
        new { assessedOn = Today, assessorName = "Dr A", scores = Areas.ToDictionary(a => a, _ => score), reason };

    private static Dictionary<string, object> Vitals(decimal weight) => new()
    {
        ["WEIGHT"] = weight,
        ["SYSBP"] = 120,
        ["DIABP"] = 80,
        ["PULSE"] = 70,
        ["TEMP"] = 36.8m,
    };

    /// <summary>Week 2's forms complete: the vital signs, and the infusion recorded as not given.</summary>
    private static async Task CompleteW2Async(RandomizedParticipant p)
    {
        var vitals = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/W2/forms/VS", new { values = Vitals(70m) }, AsWritten);
        Assert.True(vitals.StatusCode == HttpStatusCode.OK, await vitals.Content.ReadAsStringAsync());
        Assert.Equal("Complete", (await vitals.JsonAsync()).GetProperty("status").GetString());
        var infusion = await p.Coordinator.PutAsJsonAsync(p.Infusion("W2"), new { notAdministeredReason = "Intercurrent infection" });
        Assert.True(infusion.StatusCode == HttpStatusCode.OK, await infusion.Content.ReadAsStringAsync());
    }

    private Task<long> SignatureCountAsync(RandomizedParticipant p) =>
        Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM signatures WHERE participant_id = @p", p.ParticipantId);

    private Task<int> FailedAttemptsAsync(string email) =>
        Sql.ScalarAsync<int>(api.ConnectionString, "SELECT access_failed_count FROM users WHERE email = @p", email);
}

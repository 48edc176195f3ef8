using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Participants: registration (site, screening numbers), enrollment with every criterion answered, consent date and
/// strata, withdrawal with date and reason, and site-scoped listing. Each test uses a trial of its own with sites HSS
/// and KCL, a stratification factor and upper-case criterion codes.
/// </summary>
public sealed class ParticipantTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string ConsentDate = "2026-01-15";

    // ---- Registration ----

    [Fact]
    public async Task Register_WhenSiteIdMissing_Returns400()
    {
        var t = await TrialAsync();

        var response = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { sex = "F" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("siteId", out _));
        Assert.Equal(0, await TotalAsync(t.Admin, t.Id));
    }

    [Fact]
    public async Task Register_WhenFieldsInvalid_Returns400NamingThem()
    {
        var t = await TrialAsync();

        var response = await t.CoordinatorHss.PostAsJsonAsync(
            $"/api/trials/{t.Id}/participants", new { siteId = t.Hss, screeningNumber = "bad number!", sex = "X", birthYear = DateTime.UtcNow.Year + 1 });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("screeningNumber", out _), errors.GetRawText());
        Assert.True(errors.TryGetProperty("sex", out _), errors.GetRawText());
        Assert.True(errors.TryGetProperty("birthYear", out _), errors.GetRawText());
        Assert.Equal(0, await TotalAsync(t.Admin, t.Id));
    }

    [Fact]
    public async Task Register_WhenSiteBelongsToAnotherTrial_Returns404LikeAnUnknownSite()
    {
        var t = await TrialAsync();
        var other = await DistinctiveTrial.CreateAsync(t.Admin, ["HSS"]);
        // The caller may see both sites: the 404 is about the site not being of this trial.
        var coordinator = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, t.Hss, other.Sites["HSS"]);

        var wrongTrial = await coordinator.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = other.Sites["HSS"] });
        var unknown = await coordinator.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = Guid.NewGuid() });

        await wrongTrial.AssertProblemAsync(HttpStatusCode.NotFound);
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal((await unknown.JsonAsync()).GetProperty("detail").GetString(), (await wrongTrial.JsonAsync()).GetProperty("detail").GetString());
        Assert.Equal(0, await TotalAsync(t.Admin, t.Id));
        Assert.Equal(0, await TotalAsync(t.Admin, other.Id));
    }

    [Fact]
    public async Task Register_WhenCoordinatorOfAnotherSite_Returns404()
    {
        var t = await TrialAsync();

        var response = await t.CoordinatorKcl.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(0, await TotalAsync(t.Admin, t.Id));
    }

    [Fact]
    public async Task Register_WithoutScreeningNumber_NumbersEachSiteInOrder()
    {
        var t = await TrialAsync();
        var both = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, t.Hss, t.Kcl);

        var numbers = new List<string>();
        foreach (var site in new[] { t.Hss, t.Hss, t.Kcl, t.Hss, t.Kcl })
        {
            var response = await both.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = site });
            Assert.Equal(HttpStatusCode.Created, response.StatusCode);
            var created = await response.JsonAsync();
            Assert.Equal("Screening", created.GetProperty("status").GetString());
            Assert.EndsWith($"/api/trials/{t.Id}/participants/{created.GetProperty("id").GetGuid()}", response.Headers.Location!.ToString(), StringComparison.Ordinal);
            numbers.Add(created.GetProperty("screeningNumber").GetString()!);
        }

        Assert.Equal(["HSS-001", "HSS-002", "KCL-001", "HSS-003", "KCL-002"], numbers);
    }

    [Fact]
    public async Task Register_WhenScreeningNumberGiven_KeepsItAndADuplicateInTheTrialIs409()
    {
        var t = await TrialAsync();
        var both = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, t.Hss, t.Kcl);

        var first = await both.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss, screeningNumber = "SCR-0042" });
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal("SCR-0042", (await first.JsonAsync()).GetProperty("screeningNumber").GetString());

        var sameSite = await both.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss, screeningNumber = "SCR-0042" });
        await sameSite.AssertProblemAsync(HttpStatusCode.Conflict);
        var otherSite = await both.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Kcl, screeningNumber = "SCR-0042" });
        await otherSite.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal(1, await TotalAsync(t.Admin, t.Id));

        // Numbers are unique per trial only: another trial may use the same one.
        var other = await DistinctiveTrial.CreateAsync(t.Admin, ["HSS"]);
        var elsewhere = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, other.Sites["HSS"]);
        var response = await elsewhere.PostAsJsonAsync($"/api/trials/{other.Id}/participants", new { siteId = other.Sites["HSS"], screeningNumber = "SCR-0042" });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
    }

    [Fact]
    public async Task Register_WhenAGivenNumberTookTheNextAutomaticOne_StillNumbersUniquely()
    {
        var t = await TrialAsync();
        var first = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss });
        Assert.Equal("HSS-001", (await first.JsonAsync()).GetProperty("screeningNumber").GetString());
        var given = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss, screeningNumber = "HSS-003" });
        Assert.Equal(HttpStatusCode.Created, given.StatusCode);

        var numbers = new List<string> { "HSS-001", "HSS-003" };
        for (var i = 0; i < 2; i++)
        {
            var response = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants", new { siteId = t.Hss });
            Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
            numbers.Add((await response.JsonAsync()).GetProperty("screeningNumber").GetString()!);
        }

        Assert.Equal(numbers.Count, numbers.Distinct(StringComparer.OrdinalIgnoreCase).Count());
        Assert.All(numbers, n => Assert.StartsWith("HSS-", n, StringComparison.Ordinal));
    }

    // ---- Enrollment ----

    [Fact]
    public async Task Enroll_WithEveryAnswerConsentAndStratum_Returns200EnrolledAndKeepsThem()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);

        var response = await EnrollAsync(t, id, Eligible(), DistinctiveTrial.Strata("diffuse"));

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var view = await t.CoordinatorHss.GetJsonAsync($"/api/trials/{t.Id}/participants/{id}");
        Assert.Equal("Enrolled", view.GetProperty("status").GetString());
        Assert.Equal(ConsentDate, view.GetProperty("consentDate").GetString());
        Assert.Equal("diffuse", view.GetProperty("strata").GetProperty(DistinctiveTrial.FactorCode).GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("enrolledAt").ValueKind);
        Assert.Equal(JsonValueKind.Null, view.GetProperty("randomizationNumber").ValueKind);
    }

    [Fact]
    public async Task Enroll_WhenACriterionIsNotAnswered_Returns400KeyedByItsCode()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        var answers = Eligible();
        answers.Remove(DistinctiveTrial.ExclusionCode);

        var response = await EnrollAsync(t, id, answers, DistinctiveTrial.Strata("limited"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal([$"eligibility.{DistinctiveTrial.ExclusionCode}"], errors.EnumerateObject().Select(e => e.Name));
        await AssertStatusAsync(t, id, "Screening");
    }

    [Fact]
    public async Task Enroll_WhenACriterionIsUnknown_Returns400KeyedByIt()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        var answers = Eligible();
        answers["INC_NOT_IN_PROTOCOL"] = true;

        var response = await EnrollAsync(t, id, answers, DistinctiveTrial.Strata("limited"));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(["eligibility.INC_NOT_IN_PROTOCOL"], errors.EnumerateObject().Select(e => e.Name));
        await AssertStatusAsync(t, id, "Screening");
    }

    [Theory]
    [InlineData(null)]
    [InlineData("moderate")]
    [InlineData("")]
    public async Task Enroll_WhenStratumLevelMissingOrInvalid_Returns400KeyedByTheFactor(string? level)
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);

        var response = await EnrollAsync(t, id, Eligible(), level is null ? new Dictionary<string, string>() : DistinctiveTrial.Strata(level));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty($"strata.{DistinctiveTrial.FactorCode}", out _), errors.GetRawText());
        await AssertStatusAsync(t, id, "Screening");
    }

    [Fact]
    public async Task Enroll_WhenStrataNameAnUnknownFactor_Returns400()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);

        var response = await EnrollAsync(t, id, Eligible(), new Dictionary<string, string> { [DistinctiveTrial.FactorCode] = "limited", ["ageGroup"] = "old" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty("strata.ageGroup", out _));
    }

    [Fact]
    public async Task Enroll_WhenConsentDateInTheFutureOrMissing_Returns400()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var future = await t.CoordinatorHss.PostAsJsonAsync(
            $"/api/trials/{t.Id}/participants/{id}/enrollment", new { consentDate = tomorrow, eligibility = Eligible(), strata = DistinctiveTrial.Strata("limited") });
        var missing = await t.CoordinatorHss.PostAsJsonAsync(
            $"/api/trials/{t.Id}/participants/{id}/enrollment", new { eligibility = Eligible(), strata = DistinctiveTrial.Strata("limited") });

        await future.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await future.JsonAsync()).GetProperty("errors").TryGetProperty("consentDate", out _));
        await missing.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await missing.JsonAsync()).GetProperty("errors").TryGetProperty("consentDate", out _));
        await AssertStatusAsync(t, id, "Screening");
    }

    [Fact]
    public async Task Enroll_WhenAlreadyEnrolled_Returns409AndKeepsTheFirstAnswers()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        Assert.Equal(HttpStatusCode.OK, (await EnrollAsync(t, id, Eligible(), DistinctiveTrial.Strata("diffuse"))).StatusCode);

        var again = await EnrollAsync(t, id, Eligible(), DistinctiveTrial.Strata("limited"));

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("WrongParticipantStatus", (await again.JsonAsync()).GetProperty("rule").GetString());
        var view = await t.CoordinatorHss.GetJsonAsync($"/api/trials/{t.Id}/participants/{id}");
        Assert.Equal("diffuse", view.GetProperty("strata").GetProperty(DistinctiveTrial.FactorCode).GetString());
    }

    [Fact]
    public async Task Enroll_WhenExclusionApplies_Returns409ScreenFailedAndCannotBeEnrolledLater()
    {
        var t = await TrialAsync();
        var id = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        var answers = Eligible();
        answers[DistinctiveTrial.ExclusionCode] = true;

        var response = await EnrollAsync(t, id, answers, DistinctiveTrial.Strata("limited"));

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal([DistinctiveTrial.ExclusionCode], (await response.JsonAsync()).GetProperty("failedCriteria").EnumerateArray().Select(c => c.GetString()));
        await AssertStatusAsync(t, id, "ScreenFailed");
        var retry = await EnrollAsync(t, id, Eligible(), DistinctiveTrial.Strata("limited"));
        await retry.AssertProblemAsync(HttpStatusCode.Conflict);
        await AssertStatusAsync(t, id, "ScreenFailed");
    }

    // ---- Withdrawal ----

    [Fact]
    public async Task Withdraw_WithDateAndReason_Returns200WithdrawnWithTheWithdrawalAndIsAudited()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited");
        const string reason = "Withdrew consent after moving to another city";

        var response = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants/{id}/withdrawal", new { date = "2026-02-10", reason });

        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        var answered = await response.JsonAsync();
        Assert.Equal("Withdrawn", answered.GetProperty("status").GetString());
        Assert.Equal("2026-02-10", answered.GetProperty("withdrawal").GetProperty("date").GetString());
        Assert.Equal(reason, answered.GetProperty("withdrawal").GetProperty("reason").GetString());
        var view = await t.CoordinatorHss.GetJsonAsync($"/api/trials/{t.Id}/participants/{id}");
        Assert.Equal("Withdrawn", view.GetProperty("status").GetString());
        Assert.Equal("2026-02-10", view.GetProperty("withdrawal").GetProperty("date").GetString());
        Assert.Equal(reason, view.GetProperty("withdrawal").GetProperty("reason").GetString());
        Assert.Equal(JsonValueKind.String, view.GetProperty("randomizationNumber").ValueKind);

        var rows = (await t.Admin.GetJsonAsync($"/api/trials/{t.Id}/audit?entityType=Participant&entityId={id}&pageSize=200"))
            .GetProperty("items").EnumerateArray().ToList();
        Assert.Contains(rows, r => Field(r) == "ScreeningNumber" && r.GetProperty("action").GetString() == "Insert");
        Assert.Contains(rows, r => Field(r) == "ConsentDate" && r.GetProperty("newValue").GetString() == ConsentDate);
        Assert.Contains(rows, r => Field(r) == "Status" && r.GetProperty("newValue").GetString() == "Enrolled");
        Assert.Contains(rows, r => Field(r) == "RandomizationNumber" && r.GetProperty("action").GetString() == "Update");
        var status = Assert.Single(rows, r => Field(r) == "Status" && r.GetProperty("newValue").GetString() == "Withdrawn");
        Assert.Equal("Randomized", status.GetProperty("oldValue").GetString());
        Assert.Equal(reason, status.GetProperty("reason").GetString());
        Assert.Contains(rows, r => Field(r) == "WithdrawnOn" && r.GetProperty("newValue").GetString() == "2026-02-10" && r.GetProperty("reason").GetString() == reason);
        Assert.All(rows, r => Assert.Equal(t.Hss, r.GetProperty("siteId").GetGuid()));

        // The investigator of the site reads the same rows.
        var siteRows = (await t.InvestigatorHss.GetJsonAsync($"/api/trials/{t.Id}/audit?entityType=Participant&entityId={id}&pageSize=200")).GetProperty("total").GetInt32();
        Assert.Equal(rows.Count, siteRows);
    }

    [Fact]
    public async Task Withdraw_WhenDateInTheFuture_Returns409AndChangesNothing()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited");
        var tomorrow = DateTime.UtcNow.AddDays(1).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);

        var response = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants/{id}/withdrawal", new { date = tomorrow, reason = "Planned" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("WithdrawalInFuture", (await response.JsonAsync()).GetProperty("rule").GetString());
        await AssertStatusAsync(t, id, "Randomized");
    }

    [Fact]
    public async Task Withdraw_WhenDateBeforeConsent_Returns409()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited", randomize: false);

        var response = await t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants/{id}/withdrawal", new { date = "2026-01-14", reason = "Typo?" });

        await response.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("WithdrawalBeforeConsent", (await response.JsonAsync()).GetProperty("rule").GetString());
        await AssertStatusAsync(t, id, "Enrolled");
    }

    [Fact]
    public async Task Withdraw_WhenReasonOrDateMissing_Returns400()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited");
        var path = $"/api/trials/{t.Id}/participants/{id}/withdrawal";

        var noReason = await t.CoordinatorHss.PostAsJsonAsync(path, new { date = "2026-02-10" });
        var blankReason = await t.CoordinatorHss.PostAsJsonAsync(path, new { date = "2026-02-10", reason = "" });
        var noDate = await t.CoordinatorHss.PostAsJsonAsync(path, new { reason = "Lost to follow-up" });

        await noReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noReason.JsonAsync()).GetProperty("errors").TryGetProperty("reason", out _));
        await blankReason.AssertProblemAsync(HttpStatusCode.BadRequest);
        await noDate.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await noDate.JsonAsync()).GetProperty("errors").TryGetProperty("date", out _));
        await AssertStatusAsync(t, id, "Randomized");
    }

    [Fact]
    public async Task Withdraw_WhenAlreadyWithdrawn_Returns409AndKeepsTheFirstWithdrawal()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "diffuse");
        var path = $"/api/trials/{t.Id}/participants/{id}/withdrawal";
        Assert.Equal(HttpStatusCode.OK, (await t.CoordinatorHss.PostAsJsonAsync(path, new { date = "2026-02-10", reason = "First" })).StatusCode);

        var again = await t.InvestigatorHss.PostAsJsonAsync(path, new { date = "2026-02-11", reason = "Second" });

        await again.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("WrongParticipantStatus", (await again.JsonAsync()).GetProperty("rule").GetString());
        var withdrawal = (await t.CoordinatorHss.GetJsonAsync($"/api/trials/{t.Id}/participants/{id}")).GetProperty("withdrawal");
        Assert.Equal("2026-02-10", withdrawal.GetProperty("date").GetString());
        Assert.Equal("First", withdrawal.GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Withdraw_WhenCoordinatorOfAnotherSite_Returns404()
    {
        var t = await TrialAsync();
        var id = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "diffuse");

        var response = await t.CoordinatorKcl.PostAsJsonAsync($"/api/trials/{t.Id}/participants/{id}/withdrawal", new { date = "2026-02-10", reason = "Not mine" });

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        await AssertStatusAsync(t, id, "Randomized");
    }

    // ---- Listing ----

    [Fact]
    public async Task ListParticipants_FiltersBySiteAndStatusAndPages()
    {
        var t = await TrialAsync();
        var hssRandomized = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited");
        var hssEnrolled = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "diffuse", randomize: false);
        var hssScreening = await t.CoordinatorHss.RegisterAsync(t.Id, t.Hss);
        var kclRandomized = await DistinctiveTrial.ParticipantAsync(t.CoordinatorKcl, t.Id, t.Kcl, "diffuse");
        var kclScreening = await t.CoordinatorKcl.RegisterAsync(t.Id, t.Kcl);

        Assert.Equal([hssRandomized, hssEnrolled, hssScreening, kclRandomized, kclScreening], await IdsAsync(t.Admin, t.Id, ""));
        Assert.Equal([hssRandomized, hssEnrolled, hssScreening], await IdsAsync(t.Admin, t.Id, $"siteId={t.Hss}"));
        Assert.Equal([hssRandomized, kclRandomized], await IdsAsync(t.Admin, t.Id, "status=Randomized"));
        Assert.Equal([kclScreening], await IdsAsync(t.Admin, t.Id, $"siteId={t.Kcl}&status=Screening"));
        Assert.Empty(await IdsAsync(t.Admin, t.Id, "status=Withdrawn"));

        var page = await t.Admin.GetJsonAsync($"/api/trials/{t.Id}/participants?page=2&pageSize=2");
        Assert.Equal(5, page.GetProperty("total").GetInt32());
        Assert.Equal(2, page.GetProperty("page").GetInt32());
        Assert.Equal(2, page.GetProperty("pageSize").GetInt32());
        Assert.Equal([hssScreening, kclRandomized], page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()));
        Assert.Equal(200, (await t.Admin.GetJsonAsync($"/api/trials/{t.Id}/participants?pageSize=5000")).GetProperty("pageSize").GetInt32());

        var bad = await t.Admin.GetAsync($"/api/trials/{t.Id}/participants?status=Sleeping");
        await bad.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ListParticipants_WhenCoordinatorOfAnotherSite_ShowsOnlyOwnSiteAndHidesTheRest()
    {
        var t = await TrialAsync();
        var hss = await DistinctiveTrial.ParticipantAsync(t.CoordinatorHss, t.Id, t.Hss, "limited");
        var kcl = await t.CoordinatorKcl.RegisterAsync(t.Id, t.Kcl);

        Assert.Equal([kcl], await IdsAsync(t.CoordinatorKcl, t.Id, ""));
        Assert.Empty(await IdsAsync(t.CoordinatorKcl, t.Id, $"siteId={t.Hss}"));
        Assert.Equal([hss], await IdsAsync(t.CoordinatorHss, t.Id, ""));
        Assert.Equal([hss], await IdsAsync(t.InvestigatorHss, t.Id, "status=Randomized"));

        // Another site's participant answers exactly like one that does not exist.
        var hidden = await t.CoordinatorKcl.GetAsync($"/api/trials/{t.Id}/participants/{hss}");
        var missing = await t.CoordinatorKcl.GetAsync($"/api/trials/{t.Id}/participants/{Guid.NewGuid()}");
        await hidden.AssertProblemAsync(HttpStatusCode.NotFound);
        await missing.AssertProblemAsync(HttpStatusCode.NotFound);
        Assert.Equal(WithoutTraceId(await missing.JsonAsync()), WithoutTraceId(await hidden.JsonAsync()));

        // Enrollment and randomization of another site's participant are 404 as well.
        var enroll = await EnrollAsync(t with { CoordinatorHss = t.CoordinatorKcl }, hss, Eligible(), DistinctiveTrial.Strata("limited"));
        await enroll.AssertProblemAsync(HttpStatusCode.NotFound);
        await (await t.CoordinatorKcl.RandomizeAsync(t.Id, hss)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    // ---- Helpers ----

    private static Dictionary<string, bool> Eligible() => new(StringComparer.Ordinal)
    {
        [DistinctiveTrial.InclusionCode] = true,
        [DistinctiveTrial.ExclusionCode] = false,
    };

    private static Task<HttpResponseMessage> EnrollAsync(TrialSetup t, Guid id, Dictionary<string, bool> eligibility, object strata) =>
        t.CoordinatorHss.PostAsJsonAsync($"/api/trials/{t.Id}/participants/{id}/enrollment", new { consentDate = ConsentDate, eligibility, strata });

    private static async Task AssertStatusAsync(TrialSetup t, Guid id, string status) =>
        Assert.Equal(status, (await t.Admin.GetJsonAsync($"/api/trials/{t.Id}/participants/{id}")).GetProperty("status").GetString());

    private static async Task<int> TotalAsync(HttpClient client, Guid trialId) =>
        (await client.GetJsonAsync($"/api/trials/{trialId}/participants")).GetProperty("total").GetInt32();

    /// <summary>Ids of a listing, in its order (screening number), after checking the total agrees.</summary>
    private static async Task<List<Guid>> IdsAsync(HttpClient client, Guid trialId, string query)
    {
        var page = await client.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200&{query}");
        var ids = page.GetProperty("items").EnumerateArray().Select(p => p.GetProperty("id").GetGuid()).ToList();
        Assert.Equal(ids.Count, page.GetProperty("total").GetInt32());
        return ids;
    }

    private static string? Field(JsonElement row) => row.GetProperty("field").GetString();

    private static string WithoutTraceId(JsonElement body) =>
        string.Join("\n", body.EnumerateObject().Where(p => p.Name != "traceId").OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => $"{p.Name}={p.Value.GetRawText()}"));

    private sealed record TrialSetup(
        HttpClient Admin, Guid Id, Guid Hss, Guid Kcl, HttpClient CoordinatorHss, HttpClient InvestigatorHss, HttpClient CoordinatorKcl);

    /// <summary>A new stratified trial with sites HSS and KCL, a randomization list, and data entry users of each site.</summary>
    private async Task<TrialSetup> TrialAsync()
    {
        var admin = await api.AdminAsync();
        var trial = await DistinctiveTrial.CreateAsync(admin, ["HSS", "KCL"]);
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id, seed: 7, slotsPerStratum: 8);
        var (hss, kcl) = (trial.Sites["HSS"], trial.Sites["KCL"]);
        return new TrialSetup(
            admin,
            trial.Id,
            hss,
            kcl,
            await api.ClientForNewUserAsync(admin, Roles.Coordinator, hss),
            await api.ClientForNewUserAsync(admin, Roles.Investigator, hss),
            await api.ClientForNewUserAsync(admin, Roles.Coordinator, kcl));
    }
}

using System.Net;
using System.Net.Http.Json;
using Edc.Api.Common;
using Edc.Api.Tests.Infrastructure;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// The Idempotency-Key header on creating POSTs: a retry replays the first response and creates nothing, another
/// request under the key is 422, one while the first runs is 409, keys are per user and last 24 hours.
/// </summary>
public sealed class IdempotencyTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly string[] ExpectedIdempotentEndpoints =
    [
        "POST /api/trials/",
        "POST /api/trials/{trialId:guid}/forms",
        "POST /api/trials/{trialId:guid}/forms/import",
        "POST /api/trials/{trialId:guid}/participants/",
        "POST /api/trials/{trialId:guid}/queries/",
        "POST /api/trials/{trialId:guid}/participants/{participantId:guid}/logs/{formCode}/",
        "POST /api/trials/{trialId:guid}/participants/{participantId:guid}/adverse-events",
        "POST /api/trials/{trialId:guid}/participants/{participantId:guid}/randomization",
        "POST /api/trials/{trialId:guid}/participants/{participantId:guid}/signatures/",
        "POST /api/trials/{trialId:guid}/participants/{participantId:guid}/visits/",
        "POST /api/trials/{trialId:guid}/randomization-list/",
        "POST /api/trials/{trialId:guid}/randomization-list/extension",
        "POST /api/trials/{trialId:guid}/randomization-list/import",
        "POST /api/trials/{trialId:guid}/safety-summaries/",
        "POST /api/trials/{trialId:guid}/sites",
        "POST /api/trials/{trialId:guid}/unblinding-requests",
        "POST /api/users/",
    ];

    [Fact]
    public void CreatingPosts_AreMarkedIdempotent_AndNoOthers()
    {
        var marked = api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IdempotentEndpoint>() is not null)
            .SelectMany(e => (e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []).Select(m => $"{m} {e.RoutePattern.RawText}"))
            .Order(StringComparer.Ordinal)
            .ToList();

        Assert.Equal(ExpectedIdempotentEndpoints.Order(StringComparer.Ordinal), marked);
    }

    [Fact]
    public async Task OpenApiDocument_NamesTheHeaderOnIdempotentOperations()
    {
        var document = await api.Anonymous().GetJsonAsync("/openapi/v1.json");

        static bool HasKey(System.Text.Json.JsonElement operation) =>
            operation.TryGetProperty("parameters", out var parameters)
            && parameters.EnumerateArray().Any(p => p.GetProperty("name").GetString() == IdempotencyMiddleware.KeyHeader);
        var paths = document.GetProperty("paths");
        Assert.True(HasKey(paths.GetProperty("/api/trials/{trialId}/sites").GetProperty("post")));
        Assert.False(HasKey(paths.GetProperty("/api/trials/{trialId}/participants/{participantId}/emergency-unblinding").GetProperty("post")));
    }

    [Fact]
    public async Task PostSite_WithTheSameKeyAndBodyTwice_ReplaysTheFirstResponseAndCreatesOneSite()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();
        var code = NewCode();

        var first = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Replayed site" }, key);
        var second = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Replayed site" }, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(first.Headers.Location, second.Headers.Location);
        Assert.Equal(first.Content.Headers.ContentType, second.Content.Headers.ContentType);
        Assert.False(first.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(["true"], second.Headers.GetValues(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", code));
    }

    [Fact]
    public async Task PostUser_WithTheSameKeyAndBodyTwice_CreatesOneUser()
    {
        var admin = await api.AdminAsync();
        var email = $"idempotent-{Guid.NewGuid():N}@test.local";
        var body = new { email, password = TestData.UserPassword, displayName = "Once only", roles = new[] { "DsmbMember" }, siteIds = Array.Empty<Guid>() };
        var key = NewKey();

        var first = await PostAsync(admin, "/api/users", body, key);
        var second = await PostAsync(admin, "/api/users", body, key);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await second.Content.ReadAsStringAsync());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM users WHERE email = @p", email));
    }

    [Fact]
    public async Task Post_WithTheSameKeyAndAnotherBody_Returns422AndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();
        var otherCode = NewCode();
        var first = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = NewCode(), name = "First" }, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);

        var other = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = otherCode, name = "Other" }, key);
        var otherPath = await PostAsync(admin, "/api/users", new { email = "x@test.local" }, key);

        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.EndsWith("idempotency-key-reused", (await other.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        await otherPath.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", otherCode));
    }

    [Fact]
    public async Task SameKey_FromTwoUsers_DoesNotCollide()
    {
        var admin = await api.AdminAsync();
        var (_, otherAdminEmail) = await admin.CreateUserAsync(["Admin"]);
        var otherAdmin = await api.LoginAsync(otherAdminEmail, TestData.UserPassword);
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();
        var (code, otherCode) = (NewCode(), NewCode());

        var mine = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Mine" }, key);
        var theirs = await PostAsync(otherAdmin, $"/api/trials/{trialId}/sites", new { code = otherCode, name = "Theirs" }, key);
        var mineAgain = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Mine" }, key);

        Assert.Equal(HttpStatusCode.Created, mine.StatusCode);
        Assert.Equal(HttpStatusCode.Created, theirs.StatusCode);
        Assert.NotEqual((await mine.JsonAsync()).GetProperty("id").GetGuid(), (await theirs.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(await mine.Content.ReadAsStringAsync(), await mineAgain.Content.ReadAsStringAsync());
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", otherCode));
    }

    [Fact]
    public async Task Post_WhileTheFirstIsStillRunning_Returns409_ButAnotherBodyStill422()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();
        var code = NewCode();
        var first = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Running" }, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        // As if the first request had claimed the key and not yet finished.
        await Sql.ExecuteAsync(
            api.ConnectionString,
            "UPDATE idempotency_records SET completed_at = NULL, status_code = NULL, response_body = NULL WHERE key = @p",
            key);

        var retry = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Running" }, key);
        var other = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = NewCode(), name = "Other" }, key);

        await retry.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.EndsWith("idempotency-key-in-use", (await retry.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.NotNull(retry.Headers.RetryAfter);
        await other.AssertProblemAsync(HttpStatusCode.UnprocessableEntity);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", code));
    }

    [Fact]
    public async Task Post_AfterTheKeyExpired_RunsAgain()
    {
        var (coordinator, trialId, siteId) = await CoordinatorAtNewSiteAsync();
        var key = NewKey();
        var body = new { siteId, sex = "F", birthYear = 1970 };
        var first = await PostAsync(coordinator, $"/api/trials/{trialId}/participants", body, key);
        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        await Sql.ExecuteAsync(
            api.ConnectionString, "UPDATE idempotency_records SET created_at = created_at - interval '25 hours' WHERE key = @p", key);

        var later = await PostAsync(coordinator, $"/api/trials/{trialId}/participants", body, key);
        var replay = await PostAsync(coordinator, $"/api/trials/{trialId}/participants", body, key);

        Assert.Equal(HttpStatusCode.Created, later.StatusCode);
        Assert.False(later.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.NotEqual((await first.JsonAsync()).GetProperty("id").GetGuid(), (await later.JsonAsync()).GetProperty("id").GetGuid());
        Assert.Equal(await later.Content.ReadAsStringAsync(), await replay.Content.ReadAsStringAsync());
        Assert.Equal(2L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM participants WHERE site_id = @p", siteId));
    }

    [Fact]
    public async Task Post_WhenItsDatabaseConnectionIsKilledMidRequest_Answers503AndLetsTheKeyGo()
    {
        // The fault drills' case: the API's backend is terminated (57P01) while the request runs. The answer is 503
        // (not 500), and the key is released on a connection of its own, so the retry runs instead of answering 409.
        var (coordinator, trialId, siteId) = await CoordinatorAtNewSiteAsync();
        var key = NewKey();
        var path = $"/api/trials/{trialId}/participants";
        var body = new { siteId, sex = "F", birthYear = 1975 };
        await using var blocker = new NpgsqlConnection(api.ConnectionString);
        await blocker.OpenAsync();
        await using var hold = await blocker.BeginTransactionAsync();
        await using (var lockTrial = new NpgsqlCommand("SELECT 1 FROM trials WHERE id = @id FOR UPDATE", blocker, hold))
        {
            lockTrial.Parameters.AddWithValue("id", trialId);
            await lockTrial.ExecuteNonQueryAsync();
        }

        var pending = PostAsync(coordinator, path, body, key);
        int? backend = null;
        for (var i = 0; i < 600 && backend is null; i++)
        {
            await using var waiting = new NpgsqlCommand(
                "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid() AND wait_event_type = 'Lock' LIMIT 1",
                blocker,
                hold);
            backend = (int?)await waiting.ExecuteScalarAsync();
            if (backend is null)
            {
                await Task.Delay(50);
            }
        }

        Assert.NotNull(backend);
        await using (var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(@pid)", blocker, hold))
        {
            terminate.Parameters.AddWithValue("pid", backend.Value);
            await terminate.ExecuteScalarAsync();
        }

        await hold.RollbackAsync();
        var failed = await pending;
        var retry = await PostAsync(coordinator, path, body, key);

        await failed.AssertProblemAsync(HttpStatusCode.ServiceUnavailable);
        Assert.EndsWith(":unavailable", (await failed.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Created, retry.StatusCode);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM participants WHERE site_id = @p", siteId));
    }

    [Fact]
    public async Task Post_WhenValidationFails_KeepsNothingSoTheKeyMayCarryACorrectedBody()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();
        var code = NewCode();

        var invalid = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "" }, key);
        var invalidAgain = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "" }, key);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM idempotency_records WHERE key = @p", key));
        var corrected = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Corrected" }, key);

        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        await invalidAgain.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.False(invalidAgain.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(HttpStatusCode.Created, corrected.StatusCode);
    }

    [Fact]
    public async Task Post_WhenARuleForbidsIt_KeepsNothingSoARetryRunsAgain()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var key = NewKey();

        // The demonstration site's code is taken: the handler throws a rule violation (409).
        var first = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = "HSS", name = "Duplicate" }, key);
        var retry = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code = "HSS", name = "Duplicate" }, key);

        await first.AssertProblemAsync(HttpStatusCode.Conflict);
        await retry.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.False(retry.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM idempotency_records WHERE key = @p", key));
    }

    [Fact]
    public async Task Post_WithAnInvalidKey_Returns400ProblemAndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var code = NewCode();

        var response = await PostAsync(admin, $"/api/trials/{trialId}/sites", new { code, name = "Long key" }, new string('k', 201));

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await response.JsonAsync()).GetProperty("errors").TryGetProperty(IdempotencyMiddleware.KeyHeader, out _));
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", code));
    }

    [Fact]
    public async Task Randomize_RetriedWithTheSameKey_ReplaysTheAllocationInsteadOf409()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        await statistician.CreateListAsync(trialId);
        var participantId = await coordinator.EnrolledAsync(trialId, siteId);
        var path = $"/api/trials/{trialId}/participants/{participantId}/randomization";
        var key = NewKey();

        var first = await PostAsync(coordinator, path, null, key);
        var retry = await PostAsync(coordinator, path, null, key);
        var withoutKey = await coordinator.RandomizeAsync(trialId, participantId);

        Assert.Equal(HttpStatusCode.OK, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        var allocation = await first.JsonAsync();
        var replayed = await retry.JsonAsync();
        Assert.Equal(allocation.GetProperty("randomizationNumber").GetString(), replayed.GetProperty("randomizationNumber").GetString());
        Assert.Equal(allocation.GetProperty("kitNumber").GetString(), replayed.GetProperty("kitNumber").GetString());
        Assert.Equal(await first.Content.ReadAsStringAsync(), await retry.Content.ReadAsStringAsync());
        await withoutKey.AssertProblemAsync(HttpStatusCode.Conflict);
    }

    [Fact]
    public async Task Post_WithoutTheHeader_BehavesAsBefore()
    {
        var (coordinator, trialId, siteId) = await CoordinatorAtNewSiteAsync();
        var before = await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM idempotency_records");

        var first = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants", new { siteId });
        var second = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants", new { siteId });

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.Created, second.StatusCode);
        Assert.False(second.Headers.Contains(IdempotencyMiddleware.ReplayedHeader));
        Assert.Equal(2L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM participants WHERE site_id = @p", siteId));
        Assert.Equal(before, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM idempotency_records"));
    }

    [Fact]
    public async Task Post_TwentyConcurrentRequestsWithOneKey_CreateOneParticipant()
    {
        var (coordinator, trialId, siteId) = await CoordinatorAtNewSiteAsync();
        var key = NewKey();

        var responses = await Task.WhenAll(Enumerable.Range(0, 20).Select(_ =>
            PostAsync(coordinator, $"/api/trials/{trialId}/participants", new { siteId, sex = "M", birthYear = 1980 }, key)));

        Assert.All(responses, r => Assert.Contains(r.StatusCode, new[] { HttpStatusCode.Created, HttpStatusCode.Conflict }));
        var created = responses.Where(r => r.StatusCode == HttpStatusCode.Created).ToList();
        Assert.NotEmpty(created);
        Assert.Single((await Task.WhenAll(created.Select(r => r.Content.ReadAsStringAsync()))).Distinct());
        foreach (var conflict in responses.Where(r => r.StatusCode == HttpStatusCode.Conflict))
        {
            await conflict.AssertProblemAsync(HttpStatusCode.Conflict);
        }

        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM participants WHERE site_id = @p", siteId));
    }

    private static string NewKey() => "key-" + Guid.NewGuid().ToString("N");

    private static string NewCode() => "I" + Guid.NewGuid().ToString("N")[..10];

    private static Task<HttpResponseMessage> PostAsync(HttpClient client, string path, object? body, string key)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Add(IdempotencyMiddleware.KeyHeader, key);
        return client.SendAsync(request);
    }

    private async Task<(HttpClient Coordinator, Guid TrialId, Guid SiteId)> CoordinatorAtNewSiteAsync()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.AddSiteAsync(trialId, NewCode());
        return (await api.ClientForNewUserAsync(admin, "Coordinator", siteId), trialId, siteId);
    }
}

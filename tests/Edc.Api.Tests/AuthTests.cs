using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Sign-in, tokens, sessions, lockout and the per-request account checks, over HTTP with real tokens.</summary>
public sealed class AuthTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string WrongPassword = "Not-The-Right-Password";

    [Fact]
    public async Task Login_WithValidCredentials_ReturnsBearerTokenPair()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = EdcApiFactory.AdminEmail, password = EdcApiFactory.AdminPassword });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.JsonAsync();
        Assert.Equal("Bearer", body.GetProperty("tokenType").GetString());
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("accessToken").GetString()));
        Assert.True(body.GetProperty("expiresIn").GetInt64() > 0);
        Assert.False(string.IsNullOrWhiteSpace(body.GetProperty("refreshToken").GetString()));
        Assert.NotEqual(body.GetProperty("accessToken").GetString(), body.GetProperty("refreshToken").GetString());
    }

    [Fact]
    public async Task Login_WithWrongPassword_Returns401Problem()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);

        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("accessToken", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Login_WithUnknownEmail_Returns401WithSameBodyAsWrongPassword()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);

        var wrongPassword = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });
        var unknownEmail = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = $"nobody-{Guid.NewGuid():N}@test.local", password = WrongPassword });

        await wrongPassword.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await unknownEmail.AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Nothing in the answer tells an attacker whether the email exists (the trace id differs per request).
        Assert.Equal(WithoutTraceId(await wrongPassword.JsonAsync()), WithoutTraceId(await unknownEmail.JsonAsync()));
    }

    [Fact]
    public async Task Login_WithLongUnknownEmail_Returns401AndIsAudited()
    {
        // Login accepts emails up to 256 characters; an unknown one is still a plain 401, and still in the trail.
        var email = new string('x', 240) + Guid.NewGuid().ToString("N")[..4] + "@test.local";

        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });

        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var admin = await api.AdminAsync();
        Assert.Contains(
            await AllAuditRowsAsync(admin, "entityType=User"),
            r => r.GetProperty("action").GetString() == "LoginFailed" && r.GetProperty("userEmail").GetString() == email);
    }

    [Fact]
    public async Task Me_WithAccessToken_ReturnsEmailAndRoles()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync(["DsmbMember", "Admin"]);
        var user = await api.LoginAsync(email, TestData.UserPassword);

        var me = await user.GetJsonAsync("/api/me");

        Assert.Equal(id, me.GetProperty("id").GetGuid());
        Assert.Equal(email, me.GetProperty("email").GetString());
        Assert.Equal(["Admin", "DsmbMember"], Strings(me.GetProperty("roles")).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Me_WithGarbageOrMissingToken_Returns401()
    {
        var garbage = api.Anonymous();
        garbage.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "this-is-not-a-token");

        Assert.Equal(HttpStatusCode.Unauthorized, (await garbage.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.Anonymous().GetAsync("/api/me")).StatusCode);
    }

    [Fact]
    public async Task Refresh_WithCurrentRefreshToken_ReturnsNewPairThatWorks()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);
        var first = await LoginTokensAsync(email, TestData.UserPassword);

        var response = await RefreshAsync(first.RefreshToken);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var second = await response.Content.ReadFromJsonAsync<EdcApiFactory.Tokens>();
        Assert.NotNull(second);
        Assert.Equal("Bearer", second.TokenType);
        Assert.True(second.ExpiresIn > 0);
        Assert.NotEqual(first.AccessToken, second.AccessToken);
        Assert.NotEqual(first.RefreshToken, second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second.AccessToken)).StatusCode);

        // The new refresh token is itself good for one more rotation.
        var third = await RefreshAsync(second.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, third.StatusCode);
    }

    [Fact]
    public async Task Refresh_WhenOldRefreshTokenIsReused_Returns401AndRevokesSession()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);
        var first = await LoginTokensAsync(email, TestData.UserPassword);
        var rotated = await RefreshAsync(first.RefreshToken);
        Assert.Equal(HttpStatusCode.OK, rotated.StatusCode);
        var second = (await rotated.Content.ReadFromJsonAsync<EdcApiFactory.Tokens>())!;
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(second.AccessToken)).StatusCode);

        var reused = await RefreshAsync(first.RefreshToken);

        await reused.AssertProblemAsync(HttpStatusCode.Unauthorized);
        // Whoever holds the newer tokens (perhaps the thief) is out too.
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(second.AccessToken)).StatusCode);
        await (await RefreshAsync(second.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_WithBearer_Returns204AndRevokesAccessAndRefreshTokens()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync(["DsmbMember"]);
        var tokens = await LoginTokensAsync(email, TestData.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await MeAsync(tokens.AccessToken)).StatusCode);

        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken);
        var logout = await client.PostAsync("/api/auth/logout", content: null);

        Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await MeAsync(tokens.AccessToken)).StatusCode);
        await (await RefreshAsync(tokens.RefreshToken)).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Logout_WithoutBearer_Returns401()
    {
        var response = await api.Anonymous().PostAsync("/api/auth/logout", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Login_AfterFiveWrongPasswords_LocksAccountFor15MinutesThenUnlocksWhenLockoutEnds()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync(["DsmbMember"]);
        Assert.Equal(JsonValueKind.Null, (await admin.GetJsonAsync($"/api/users/{id}")).GetProperty("lockedOutUntil").ValueKind);

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            var failed = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });
            await failed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var withCorrectPassword = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });

        await withCorrectPassword.AssertProblemAsync(HttpStatusCode.Unauthorized);
        var lockedOutUntil = (await admin.GetJsonAsync($"/api/users/{id}")).GetProperty("lockedOutUntil").GetDateTimeOffset();
        var now = DateTimeOffset.UtcNow;
        Assert.InRange(lockedOutUntil, now.AddMinutes(14), now.AddMinutes(16));

        // The lockout time passes.
        Assert.Equal(1, await Sql.ExecuteAsync(api.ConnectionString, "UPDATE users SET lockout_end = now() - interval '1 minute' WHERE id = @p", id));

        var afterLockout = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.OK, afterLockout.StatusCode);
    }

    [Fact]
    public async Task Login_AfterFourWrongPasswords_StillSucceeds()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync(["DsmbMember"]);

        for (var attempt = 1; attempt <= 4; attempt++)
        {
            var failed = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });
            await failed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(JsonValueKind.Null, (await admin.GetJsonAsync($"/api/users/{id}")).GetProperty("lockedOutUntil").ValueKind);
    }

    [Fact]
    public async Task Deactivate_WhenUserHoldsToken_TokenStopsWorkingAtOnceAndLoginFails()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync(["DsmbMember"]);
        var user = await api.LoginAsync(email, TestData.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);

        var patch = await admin.PatchAsJsonAsync($"/api/users/{id}", new { active = false });

        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);
        Assert.False((await patch.JsonAsync()).GetProperty("active").GetBoolean());
        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/me")).StatusCode);
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        await login.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task RoleChange_AppliesToNextRequestWithoutNewLogin()
    {
        var admin = await api.AdminAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var (id, email) = await admin.CreateUserAsync(["Coordinator"], siteId);
        var user = await api.LoginAsync(email, TestData.UserPassword);
        await (await user.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden);

        var patch = await admin.PatchAsJsonAsync($"/api/users/{id}", new { roles = RoleList("Admin") });
        Assert.Equal(HttpStatusCode.OK, patch.StatusCode);

        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/users")).StatusCode);
        Assert.Equal(["Admin"], Strings((await user.GetJsonAsync("/api/me")).GetProperty("roles")));
    }

    [Fact]
    public async Task CreateUser_Anonymously_Returns401()
    {
        var email = $"self-{Guid.NewGuid():N}@test.local";

        var response = await api.Anonymous().PostAsJsonAsync("/api/users", NewUserBody(email));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task CreateUser_AsCoordinator_Returns403()
    {
        var admin = await api.AdminAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", await admin.DemoSiteIdAsync());
        var email = $"self-{Guid.NewGuid():N}@test.local";

        var response = await coordinator.PostAsJsonAsync("/api/users", NewUserBody(email));

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        var login = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, login.StatusCode);
    }

    [Fact]
    public async Task Login_FailedAndSuccessful_AreAuditedForTheUser()
    {
        var admin = await api.AdminAsync();
        var (id, email) = await admin.CreateUserAsync(["DsmbMember"]);
        var failed = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });
        Assert.Equal(HttpStatusCode.Unauthorized, failed.StatusCode);
        await api.LoginAsync(email, TestData.UserPassword);

        var audit = await admin.GetJsonAsync($"/api/audit?entityType=User&entityId={id}&pageSize=200");

        var rows = audit.GetProperty("items").EnumerateArray().ToList();
        Assert.All(rows, r => Assert.Equal("User", r.GetProperty("entityType").GetString()));
        Assert.All(rows, r => Assert.Equal(id.ToString(), r.GetProperty("entityId").GetString()));
        var failedRow = Assert.Single(rows, r => r.GetProperty("action").GetString() == "LoginFailed");
        var loginRow = Assert.Single(rows, r => r.GetProperty("action").GetString() == "Login");
        Assert.Equal(id, failedRow.GetProperty("userId").GetGuid());
        Assert.Equal(id, loginRow.GetProperty("userId").GetGuid());
        Assert.True(failedRow.GetProperty("sequence").GetInt64() < loginRow.GetProperty("sequence").GetInt64());
    }

    private async Task<EdcApiFactory.Tokens> LoginTokensAsync(string email, string password)
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email, password });
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<EdcApiFactory.Tokens>())!;
    }

    private Task<HttpResponseMessage> RefreshAsync(string refreshToken) =>
        api.Anonymous().PostAsJsonAsync("/api/auth/refresh", new { refreshToken });

    private Task<HttpResponseMessage> MeAsync(string accessToken)
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return client.GetAsync("/api/me");
    }

    private static object NewUserBody(string email) =>
        new { email, password = TestData.UserPassword, displayName = "Self Registered", roles = RoleList("DsmbMember"), siteIds = Array.Empty<Guid>() };

    /// <summary>Every audit row the filter matches, reading all pages.</summary>
    private static async Task<List<JsonElement>> AllAuditRowsAsync(HttpClient admin, string filter)
    {
        var rows = new List<JsonElement>();
        for (var page = 1; ; page++)
        {
            var result = await admin.GetJsonAsync($"/api/audit?{filter}&page={page}&pageSize=200");
            var items = result.GetProperty("items").EnumerateArray().ToList();
            rows.AddRange(items);
            if (items.Count == 0 || rows.Count >= result.GetProperty("total").GetInt32())
            {
                return rows;
            }
        }
    }

    private static string[] RoleList(params string[] roles) => roles;

    private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

    private static Dictionary<string, string> WithoutTraceId(JsonElement problem) =>
        problem.EnumerateObject().Where(p => p.Name != "traceId").ToDictionary(p => p.Name, p => p.Value.GetRawText());
}

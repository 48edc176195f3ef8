using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Two API instances started at the same moment on one new database: they migrate and seed once between them,
/// share one token-protection key, and honour each other's tokens, refreshes and logouts.
/// </summary>
public sealed class TwoInstanceTests
{
    [Fact]
    public async Task TwoInstances_WhenStartedTogetherOnEmptyDatabase_MigrateAndSeedOnceAndShareTokens()
    {
        var cs = await TestDatabaseServer.CreateDatabaseAsync();
        var a = new EdcApiFactory().WithConnectionString(cs);
        var b = new EdcApiFactory().WithConnectionString(cs);
        try
        {
            await Task.WhenAll(Task.Run(a.InitializeAsync), Task.Run(b.InitializeAsync));

            foreach (var instance in new[] { a, b })
            {
                var ready = await instance.Anonymous().GetAsync("/health/ready");
                Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            }

            await AssertSeededOnceAsync(cs);
            AssertNoErrorsLogged(a);
            AssertNoErrorsLogged(b);

            // A token issued by one instance is read by the other, both ways.
            var fromA = await LoginAsync(a.Anonymous());
            var fromB = await LoginAsync(b.Anonymous());
            await AssertMeAsync(b, fromA.AccessToken, HttpStatusCode.OK);
            await AssertMeAsync(a, fromB.AccessToken, HttpStatusCode.OK);
            await AssertMeAsync(a, fromA.AccessToken, HttpStatusCode.OK);

            // A refresh token from A works on B; the new access token works on A; the used refresh token is spent.
            var refreshed = await RefreshAsync(b.Anonymous(), fromA.RefreshToken);
            Assert.Equal(HttpStatusCode.OK, refreshed.Status);
            await AssertMeAsync(a, refreshed.Tokens!.AccessToken, HttpStatusCode.OK);
            await AssertMeAsync(b, refreshed.Tokens.AccessToken, HttpStatusCode.OK);

            // Logout on A ends the session on A at once, and on B as soon as the database announces it: its access tokens
            // and refresh token stop working there.
            var logoutClient = a.Anonymous();
            logoutClient.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", refreshed.Tokens.AccessToken);
            var logout = await logoutClient.PostAsync("/api/auth/logout", null);
            Assert.Equal(HttpStatusCode.NoContent, logout.StatusCode);
            await AssertMeAsync(a, fromA.AccessToken, HttpStatusCode.Unauthorized);
            await Eventually.HoldsAsync(async () => await MeStatusAsync(b, refreshed.Tokens.AccessToken) == HttpStatusCode.Unauthorized);
            await AssertMeAsync(b, fromA.AccessToken, HttpStatusCode.Unauthorized);
            Assert.Equal(HttpStatusCode.Unauthorized, (await RefreshAsync(b.Anonymous(), refreshed.Tokens.RefreshToken)).Status);

            // The other session, issued by B, is untouched.
            await AssertMeAsync(a, fromB.AccessToken, HttpStatusCode.OK);
            await AssertMeAsync(b, fromB.AccessToken, HttpStatusCode.OK);

            // Still one key after tokens were issued and read on both instances.
            Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM data_protection_keys"));
        }
        finally
        {
            await a.DisposeAsync();
            await b.DisposeAsync();
        }
    }

    private static async Task AssertSeededOnceAsync(string cs)
    {
        var migrations = await Sql.ScalarAsync<long>(cs, """SELECT count(*) FROM "__EFMigrationsHistory" """);
        var distinctMigrations = await Sql.ScalarAsync<long>(cs, """SELECT count(DISTINCT "MigrationId") FROM "__EFMigrationsHistory" """);
        Assert.Equal(distinctMigrations, migrations);
        Assert.True(migrations >= 1);

        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, """
            SELECT count(*) FROM users u JOIN user_roles ur ON ur.user_id = u.id JOIN roles r ON r.id = ur.role_id
            WHERE r.name = 'Admin'
            """));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM users"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM trials WHERE code = @p", EdcApiFactory.DemoTrialCode));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM trials"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM sites"));
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM data_protection_keys"));
        Assert.Equal((long)Roles.All.Count, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM roles"));

        // The seeding was audited once too, and the chain the two instances share is whole.
        Assert.Equal(1L, await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM audit_entries WHERE entity_type = 'Trial' AND field = 'Code'"));
        Assert.Equal(await Sql.ScalarAsync<long>(cs, "SELECT count(*) FROM audit_entries"), await Sql.ScalarAsync<long>(cs, "SELECT coalesce(max(seq), 0) FROM audit_entries"));
    }

    /// <summary>
    /// Start-up went cleanly on the instance: nothing logged at Error or Critical (a new database included).
    /// </summary>
    internal static void AssertNoErrorsLogged(EdcApiFactory instance)
    {
        var errors = instance.Logs.Lines
            .Where(l => l.StartsWith("Error ", StringComparison.Ordinal) || l.StartsWith("Critical ", StringComparison.Ordinal))
            .ToList();
        Assert.True(errors.Count == 0, string.Join(Environment.NewLine, errors));
    }

    private static async Task<EdcApiFactory.Tokens> LoginAsync(HttpClient client)
    {
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email = EdcApiFactory.AdminEmail, password = EdcApiFactory.AdminPassword });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return (await response.Content.ReadFromJsonAsync<EdcApiFactory.Tokens>())!;
    }

    private static async Task<(HttpStatusCode Status, EdcApiFactory.Tokens? Tokens)> RefreshAsync(HttpClient client, string refreshToken)
    {
        var response = await client.PostAsJsonAsync("/api/auth/refresh", new { refreshToken });
        return (response.StatusCode, response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<EdcApiFactory.Tokens>() : null);
    }

    private static async Task<HttpStatusCode> MeStatusAsync(EdcApiFactory instance, string accessToken)
    {
        var client = instance.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        return (await client.GetAsync("/api/me")).StatusCode;
    }

    private static async Task AssertMeAsync(EdcApiFactory instance, string accessToken, HttpStatusCode expected)
    {
        var client = instance.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", accessToken);
        var response = await client.GetAsync("/api/me");
        Assert.True(expected == response.StatusCode, $"GET /api/me answered {(int)response.StatusCode}, expected {(int)expected}: {await response.Content.ReadAsStringAsync()}");
        if (expected == HttpStatusCode.OK)
        {
            var me = await response.JsonAsync();
            Assert.Equal(EdcApiFactory.AdminEmail, me.GetProperty("email").GetString());
        }
    }
}

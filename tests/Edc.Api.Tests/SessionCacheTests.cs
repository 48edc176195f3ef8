using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure.Security;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// Each instance keeps copies of the sessions it has checked (<see cref="SessionCache"/>). A change to a session, its user,
/// or the user's roles or sites, wherever it is made, is announced by the database and every instance reads the session
/// again; the instance that made the change does so before it answers.
/// </summary>
public sealed class SessionCacheTests
{
    [Fact]
    public async Task RoleChange_OnOneInstance_AppliesAtOnceThereAndOnTheOtherAsSoonAsAnnounced()
    {
        await using var instances = await TwoInstancesAsync();
        var (admin, userId, onA, onB) = await AdminSignedInOnBothAsync(instances);

        await MoveToTheBoardAsync(admin, userId);

        Assert.Equal(HttpStatusCode.Forbidden, await ListUsersAsync(onA));
        await Eventually.HoldsAsync(async () => await ListUsersAsync(onB) == HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task ChangeOnThisInstance_IsForgottenHereBeforeItAnswers_AndOnlyTheAnnouncementTellsTheOther()
    {
        await using var instances = await TwoInstancesAsync();
        var (admin, userId, onA, onB) = await AdminSignedInOnBothAsync(instances);

        // With the announcements off, A still forgets what it changed; B, told nothing, answers from its copy.
        await Sql.ExecuteAsync(instances.A.ConnectionString, SetAnnouncements("DISABLE"));
        await MoveToTheBoardAsync(admin, userId);
        Assert.Equal(HttpStatusCode.Forbidden, await ListUsersAsync(onA));
        Assert.Equal(HttpStatusCode.OK, await ListUsersAsync(onB));

        await Sql.ExecuteAsync(instances.A.ConnectionString, SetAnnouncements("ENABLE"));
        await Sql.ScalarAsync<object>(instances.A.ConnectionString, $"SELECT pg_notify('{SessionCache.Channel}', @p)", userId.ToString());
        await Eventually.HoldsAsync(async () => await ListUsersAsync(onB) == HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Deactivation_OnOneInstance_EndsTheSessionsOnBoth()
    {
        await using var instances = await TwoInstancesAsync();
        var admin = await instances.A.AdminAsync();
        var (userId, email) = await admin.CreateUserAsync(["UnblindedStatistician"]);
        var onA = await instances.A.LoginAsync(email, TestData.UserPassword);
        var onB = ClientWithTokenOf(instances.B, onA);
        Assert.Equal(HttpStatusCode.OK, (await onA.GetAsync("/api/me")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await onB.GetAsync("/api/me")).StatusCode);

        var deactivated = await admin.PatchAsJsonAsync($"/api/users/{userId}", new { active = false, reason = "Left the trial" });
        Assert.Equal(HttpStatusCode.OK, deactivated.StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await onA.GetAsync("/api/me")).StatusCode);
        await Eventually.HoldsAsync(async () => (await onB.GetAsync("/api/me")).StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task SessionEndedInSql_IsAnsweredFromTheCopyUntilAnnouncedThenRefused()
    {
        await using var api = new EdcApiFactory();
        await api.InitializeAsync();
        var (userId, email, user) = await SignedInUserAsync(api);

        // Ended with the triggers off, unannounced: the instance goes on answering from its copy, so copies are used.
        await RevokeUnannouncedAsync(api.ConnectionString, userId);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);

        // Announced as the triggers do, the copy is forgotten and the row read again.
        await Sql.ScalarAsync<object>(api.ConnectionString, $"SELECT pg_notify('{SessionCache.Channel}', @p)", userId.ToString());
        await Eventually.HoldsAsync(async () => (await user.GetAsync("/api/me")).StatusCode == HttpStatusCode.Unauthorized);

        // The triggers announce a change made in SQL: a new session of the user, revoked with them on, is refused.
        var again = await api.LoginAsync(email, TestData.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await again.GetAsync("/api/me")).StatusCode);
        await Sql.ExecuteAsync(api.ConnectionString, "UPDATE auth_sessions SET revoked_at = now() WHERE user_id = @p AND revoked_at IS NULL", userId);
        await Eventually.HoldsAsync(async () => (await again.GetAsync("/api/me")).StatusCode == HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ListenerConnectionLost_CopiesFromBeforeAreNotUsedOnceItIsBack()
    {
        await using var api = new EdcApiFactory();
        await api.InitializeAsync();
        var cache = api.Services.GetRequiredService<SessionCache>();
        var (userId, email, user) = await SignedInUserAsync(api);
        await RevokeUnannouncedAsync(api.ConnectionString, userId);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);

        // The listener's connection is cut: whatever was announced meanwhile is unknown, so every copy goes.
        Assert.Equal(1, await Sql.ScalarAsync<int>(api.ConnectionString, $"""
            SELECT count(*)::int FROM pg_stat_activity, pg_terminate_backend(pid)
            WHERE application_name = '{SessionChangeListener.ApplicationName}' AND datname = current_database()
            """));
        await Eventually.HoldsAsync(() => Task.FromResult(!cache.Listening));
        await Eventually.HoldsAsync(() => Task.FromResult(cache.Listening));

        Assert.Equal(HttpStatusCode.Unauthorized, (await user.GetAsync("/api/me")).StatusCode);
        Assert.DoesNotContain(api.Logs.Lines, l => l.StartsWith("Error ", StringComparison.Ordinal));
    }

    // A user signed in, whose session the instance has checked once (and kept).
    private static async Task<(Guid UserId, string Email, HttpClient Client)> SignedInUserAsync(EdcApiFactory api)
    {
        var (userId, email) = await (await api.AdminAsync()).CreateUserAsync(["UnblindedStatistician"]);
        var user = await api.LoginAsync(email, TestData.UserPassword);
        Assert.Equal(HttpStatusCode.OK, (await user.GetAsync("/api/me")).StatusCode);
        return (userId, email, user);
    }

    // A second admin, signed in on A, its token also sent to B: both let it list the users, and both have kept its session.
    private static async Task<(HttpClient Admin, Guid UserId, HttpClient OnA, HttpClient OnB)> AdminSignedInOnBothAsync(Instances instances)
    {
        var admin = await instances.A.AdminAsync();
        var (userId, email) = await admin.CreateUserAsync(["Admin"]);
        var onA = await instances.A.LoginAsync(email, TestData.UserPassword);
        var onB = ClientWithTokenOf(instances.B, onA);
        Assert.Equal(HttpStatusCode.OK, await ListUsersAsync(onA));
        Assert.Equal(HttpStatusCode.OK, await ListUsersAsync(onB));
        return (admin, userId, onA, onB);
    }

    private static async Task MoveToTheBoardAsync(HttpClient admin, Guid userId)
    {
        var changed = await admin.PatchAsJsonAsync($"/api/users/{userId}", new { roles = new[] { "DsmbMember" }, reason = "Moved to the board" });
        Assert.Equal(HttpStatusCode.OK, changed.StatusCode);
    }

    /// <summary>A client of this instance sending the bearer token another instance's client sends.</summary>
    private static HttpClient ClientWithTokenOf(EdcApiFactory instance, HttpClient signedIn)
    {
        var client = instance.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", signedIn.DefaultRequestHeaders.Authorization!.Parameter);
        return client;
    }

    // The roles a request acts with are the session check's: listing users is the Admin's alone.
    private static async Task<HttpStatusCode> ListUsersAsync(HttpClient client) => (await client.GetAsync("/api/users")).StatusCode;

    // As an operator could, bypassing the triggers: session_replication_role = replica runs no ordinary trigger.
    private static Task RevokeUnannouncedAsync(string connectionString, Guid userId) => Sql.ExecuteAsync(connectionString, """
        SET session_replication_role = replica;
        UPDATE auth_sessions SET revoked_at = now() WHERE user_id = @p AND revoked_at IS NULL;
        """, userId);

    private static string SetAnnouncements(string enableOrDisable) => string.Concat(
        new[] { "auth_sessions", "users", "user_roles", "user_sites" }
            .Select(table => $"ALTER TABLE {table} {enableOrDisable} TRIGGER {table}_announce_session_change;"));

    private static async Task<Instances> TwoInstancesAsync()
    {
        var cs = await TestDatabaseServer.CreateDatabaseAsync();
        var instances = new Instances(new EdcApiFactory().WithConnectionString(cs), new EdcApiFactory().WithConnectionString(cs));
        await instances.A.InitializeAsync();
        await instances.B.InitializeAsync();
        return instances;
    }

    private sealed record Instances(EdcApiFactory A, EdcApiFactory B) : IAsyncDisposable
    {
        public async ValueTask DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
        }
    }
}

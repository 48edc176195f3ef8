using System.Net;
using System.Net.Http.Json;
using Edc.Api.Common;
using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// Lost database connections answer 503 however deeply EF Core and Npgsql wrap them (the chains below are those the
/// fault drills logged as 500s), and text PostgreSQL cannot store (a NUL character) answers 400, not 500.
/// </summary>
public sealed class ProblemMappingTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static PostgresException Postgres(string sqlState) => new("drill", "FATAL", "FATAL", sqlState);

    public static TheoryData<string> UnavailableChains() =>
    [
        "57P01 terminated by pg_terminate_backend",
        "57P02 crash shutdown",
        "57P03 starting up",
        "08006 connection failure",
        "transient failure wrapping DbUpdateException wrapping 57P01",
        "disposed NpgsqlTransaction wrapping 57P01",
        "aggregate holding a refused connection",
    ];

    private static Exception Chain(string name) => name switch
    {
        "57P01 terminated by pg_terminate_backend" => Postgres(PostgresErrorCodes.AdminShutdown),
        "57P02 crash shutdown" => Postgres(PostgresErrorCodes.CrashShutdown),
        "57P03 starting up" => Postgres(PostgresErrorCodes.CannotConnectNow),
        "08006 connection failure" => new DbUpdateException("saving", Postgres(PostgresErrorCodes.ConnectionFailure)),
        "transient failure wrapping DbUpdateException wrapping 57P01" => new InvalidOperationException(
            "An exception has been raised that is likely due to a transient failure.",
            new DbUpdateException("An error occurred while saving the entity changes.", Postgres(PostgresErrorCodes.AdminShutdown))),
        "disposed NpgsqlTransaction wrapping 57P01" => new ObjectDisposedException("NpgsqlTransaction", Postgres(PostgresErrorCodes.AdminShutdown)),
        "aggregate holding a refused connection" => new AggregateException(
            new InvalidOperationException("other"),
            new InvalidOperationException("transient", new NpgsqlException("Failed to connect", new System.Net.Sockets.SocketException(111)))),
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    [Theory]
    [MemberData(nameof(UnavailableChains))]
    public void LostConnection_AnywhereInTheChain_IsDatabaseUnavailable(string chain) =>
        Assert.True(DatabaseFailures.IsUnavailable(Chain(chain)));

    [Fact]
    public void ConnectionLostDuringCommit_Answers503CommitOutcomeUnknown_NotNothingWasSaved()
    {
        var problem = ProblemMapping.ToProblem(new CommitOutcomeUnknownException(
            new InvalidOperationException("transient", Postgres(PostgresErrorCodes.AdminShutdown))));

        Assert.Equal(503, problem.Status);
        Assert.Equal(ProblemMapping.TypePrefix + "commit-outcome-unknown", problem.Type);
        Assert.Equal(ProblemMapping.TypePrefix + "unavailable", ProblemMapping.ToProblem(Chain("disposed NpgsqlTransaction wrapping 57P01")).Type);
    }

    [Fact]
    public void OtherDatabaseErrors_AreNotDatabaseUnavailable()
    {
        Assert.False(DatabaseFailures.IsUnavailable(new DbUpdateException("saving", Postgres(PostgresErrorCodes.CheckViolation))));
        Assert.False(DatabaseFailures.IsUnavailable(new InvalidOperationException("bug")));
    }

    [Fact]
    public async Task Login_WhenEmailHasANulCharacter_Returns400Problem()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = "admin\u0000@edc.local", password = "whatever-123" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.EndsWith("validation", (await response.JsonAsync()).GetProperty("type").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AuditFilter_WhenItHasANulCharacter_Returns400Problem()
    {
        var admin = await api.AdminAsync();

        var response = await admin.GetAsync("/api/audit?entityType=Trial%00&entityId=x%00y");

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateSite_WhenNameHasANulCharacter_Returns400ProblemAndSavesNothing()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var code = "N" + Guid.NewGuid().ToString("N")[..10];

        var response = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code, name = "Nul\u0000site" });

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(0L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM sites WHERE code = @p", code));
    }
}

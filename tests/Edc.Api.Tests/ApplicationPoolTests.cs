using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// The API's pooled connections prepare the statements they repeat, so PostgreSQL does not plan them on every run, and
/// are not reset between requests: nothing of a request's session outlives it anyway.
/// </summary>
public sealed class ApplicationPoolTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task AQueryRepeatedOnTheApisConnection_IsPreparedThere()
    {
        using var scope = api.Services.CreateScope();
        var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();
        await db.Database.OpenConnectionAsync();
        var code = "NO-SUCH-TRIAL";

        for (var run = 0; run < 6; run++)
        {
            Assert.False(await db.Trials.AnyAsync(t => t.Code == code));
        }

        await using var prepared = new NpgsqlCommand(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE '%FROM trials%'", (NpgsqlConnection)db.Database.GetDbConnection());
        Assert.Equal(1L, (long)(await prepared.ExecuteScalarAsync())!);
    }

    [Fact]
    public void ForApplicationPool_PreparesAndSkipsTheResetKeepingAConnectionStringsOwnPreparation()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(InfrastructureServices.ForApplicationPool("Host=db;Database=edc"));
        var own = new NpgsqlConnectionStringBuilder(InfrastructureServices.ForApplicationPool("Host=db;Database=edc;Max Auto Prepare=7"));

        Assert.Equal(64, defaulted.MaxAutoPrepare);
        Assert.Equal(7, own.MaxAutoPrepare);
        Assert.True(defaulted.NoResetOnClose);
        Assert.Equal("edc", defaulted.Database);
    }

    [Fact]
    public async Task APooledConnection_ReturnedInTheMiddleOfATransaction_ComesBackWithNothingOfIt()
    {
        // One connection in the pool, so the second opening gets the first one's session back.
        var single = new NpgsqlConnectionStringBuilder(InfrastructureServices.ForApplicationPool(api.ConnectionString)) { MaxPoolSize = 1 }.ConnectionString;
        int backend;
        await using (var first = new NpgsqlConnection(single))
        {
            await first.OpenAsync();
            await using var work = new NpgsqlCommand(
                """
                BEGIN;
                SELECT pg_backend_pid();
                SELECT pg_advisory_xact_lock(4242);
                SET LOCAL statement_timeout = '1234s';
                CREATE TABLE left_behind (id int);
                """,
                first);
            backend = (int)(await work.ExecuteScalarAsync())!;
        }

        await using var second = new NpgsqlConnection(single);
        await second.OpenAsync();
        await using var check = new NpgsqlCommand(
            """
            SELECT pg_backend_pid(), current_setting('statement_timeout'), to_regclass('left_behind') IS NULL,
                   (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND pid = pg_backend_pid()),
                   pg_current_xact_id_if_assigned() IS NULL
            """,
            second);
        await using var reader = await check.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        Assert.Equal(backend, reader.GetInt32(0));
        Assert.Equal("0", reader.GetString(1));
        Assert.True(reader.GetBoolean(2));
        Assert.Equal(0L, reader.GetInt64(3));
        Assert.True(reader.GetBoolean(4));
    }
}

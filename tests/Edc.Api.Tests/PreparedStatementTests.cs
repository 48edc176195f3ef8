using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>The API's connections prepare the statements they repeat, so PostgreSQL does not plan them on every run.</summary>
public sealed class PreparedStatementTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
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
    public void WithPreparedStatements_KeepsAConnectionStringsOwnSetting()
    {
        var defaulted = new NpgsqlConnectionStringBuilder(InfrastructureServices.WithPreparedStatements("Host=db;Database=edc"));
        var own = new NpgsqlConnectionStringBuilder(InfrastructureServices.WithPreparedStatements("Host=db;Database=edc;Max Auto Prepare=7"));

        Assert.Equal(64, defaulted.MaxAutoPrepare);
        Assert.Equal(7, own.MaxAutoPrepare);
        Assert.Equal("edc", defaulted.Database);
    }
}

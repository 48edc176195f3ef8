using System.Text;
using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Persistence.Migrations;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// The migrations are written by hand, without a model snapshot: this proves that applying them to an empty
/// database gives exactly the schema EF would create from the model, and the audit trail's triggers besides. The
/// scheduler's qrtz_ tables are Quartz's, not the model's: the model side gets the same DDL, which is itself checked
/// against the script the Quartz package ships.
/// </summary>
public sealed class MigrationSchemaTests
{
    /// <summary>Every catalog query yields (section, key, description) triples; a difference is any triple on one side only.</summary>
    private static readonly (string Section, string Sql)[] CatalogQueries =
    [
        ("table", """
            SELECT table_name, table_type
            FROM information_schema.tables
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """),
        ("column", """
            SELECT table_name || '.' || column_name,
                   concat_ws(' | ', 'type=' || data_type, 'udt=' || udt_name,
                             'maxlen=' || coalesce(character_maximum_length::text, '-'),
                             'precision=' || coalesce(numeric_precision::text, '-') || ',' || coalesce(numeric_scale::text, '-'),
                             'datetime_precision=' || coalesce(datetime_precision::text, '-'),
                             'nullable=' || is_nullable, 'default=' || coalesce(column_default, '-'),
                             'identity=' || is_identity || coalesce(':' || identity_generation, ''),
                             'generated=' || is_generated, 'collation=' || coalesce(collation_name, '-'))
            FROM information_schema.columns
            WHERE table_schema = 'public' AND table_name <> '__EFMigrationsHistory'
            """),
        ("constraint", """
            SELECT rel.relname || '.' || con.conname,
                   concat_ws(' | ', 'type=' || con.contype::text, pg_get_constraintdef(con.oid, true),
                             'deferrable=' || con.condeferrable::text, 'deferred=' || con.condeferred::text)
            FROM pg_constraint con
            JOIN pg_class rel ON rel.oid = con.conrelid
            JOIN pg_namespace ns ON ns.oid = rel.relnamespace
            WHERE ns.nspname = 'public' AND rel.relname <> '__EFMigrationsHistory'
            """),
        ("referential rule", """
            SELECT tc.table_name || '.' || rc.constraint_name,
                   '(' || (SELECT string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position)
                           FROM information_schema.key_column_usage kcu
                           WHERE kcu.constraint_schema = rc.constraint_schema AND kcu.constraint_name = rc.constraint_name)
                   || ') references ' || pk.table_name || ' | on delete ' || rc.delete_rule || ' | on update ' || rc.update_rule
            FROM information_schema.referential_constraints rc
            JOIN information_schema.table_constraints tc
              ON tc.constraint_schema = rc.constraint_schema AND tc.constraint_name = rc.constraint_name
            JOIN information_schema.table_constraints pk
              ON pk.constraint_schema = rc.unique_constraint_schema AND pk.constraint_name = rc.unique_constraint_name
            WHERE rc.constraint_schema = 'public'
            """),
        ("key columns", """
            SELECT tc.table_name || '.' || tc.constraint_name,
                   tc.constraint_type || ' (' || string_agg(kcu.column_name, ',' ORDER BY kcu.ordinal_position) || ')'
            FROM information_schema.table_constraints tc
            JOIN information_schema.key_column_usage kcu
              ON kcu.constraint_schema = tc.constraint_schema AND kcu.constraint_name = tc.constraint_name AND kcu.table_name = tc.table_name
            WHERE tc.table_schema = 'public' AND tc.table_name <> '__EFMigrationsHistory'
            GROUP BY tc.table_name, tc.constraint_name, tc.constraint_type
            """),
        ("index", """
            SELECT tablename || '.' || indexname, indexdef
            FROM pg_indexes
            WHERE schemaname = 'public' AND tablename <> '__EFMigrationsHistory'
            """),
        ("sequence", """
            SELECT sequence_name, concat_ws(' | ', data_type, start_value, minimum_value, maximum_value, increment, cycle_option)
            FROM information_schema.sequences
            WHERE sequence_schema = 'public'
            """),
        ("role (seed data)", """
            SELECT id::text, concat_ws(' | ', name, normalized_name, concurrency_stamp) FROM roles
            """),
    ];

    [Fact]
    public async Task Migrations_AppliedToEmptyDatabase_MatchTheModelExactly()
    {
        var migrated = await TestDatabaseServer.CreateDatabaseAsync();
        var fromModel = await TestDatabaseServer.CreateDatabaseAsync();
        await WithContextAsync(migrated, db => db.Database.MigrateAsync());
        await WithContextAsync(fromModel, async db => Assert.True(await db.Database.EnsureCreatedAsync()));
        await Sql.ExecuteAsync(fromModel, QuartzSchemaSql.Create);

        var migratedCatalog = await CatalogAsync(migrated);
        var modelCatalog = await CatalogAsync(fromModel);

        Assert.Contains(modelCatalog, e => e.Section == "table" && e.Key == "audit_entries");
        Assert.Contains(migratedCatalog, e => e.Section == "table" && e.Key == "qrtz_triggers");
        var onlyMigrated = migratedCatalog.Except(modelCatalog).Order().ToList();
        var onlyModel = modelCatalog.Except(migratedCatalog).Order().ToList();
        if (onlyMigrated.Count > 0 || onlyModel.Count > 0)
        {
            Assert.Fail(Diff(onlyMigrated, onlyModel));
        }
    }

    [Fact]
    public async Task Migrations_AppliedToEmptyDatabase_InstallAuditTriggersAndLeaveNothingPending()
    {
        var migrated = await TestDatabaseServer.CreateDatabaseAsync();
        await WithContextAsync(migrated, async db =>
        {
            await db.Database.MigrateAsync();
            Assert.Empty(await db.Database.GetPendingMigrationsAsync());
            Assert.Equal(db.Database.GetMigrations(), await db.Database.GetAppliedMigrationsAsync());
        });

        await using var connection = new NpgsqlConnection(migrated);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(
            """
            SELECT t.tgname, t.tgenabled::text, pg_get_triggerdef(t.oid)
            FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid
            WHERE c.relname = 'audit_entries' AND NOT t.tgisinternal
            ORDER BY t.tgname
            """,
            connection);
        var triggers = new Dictionary<string, (string Enabled, string Definition)>();
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                triggers[reader.GetString(0)] = (reader.GetString(1), reader.GetString(2));
            }
        }

        Assert.Equal(["audit_entries_append_only", "audit_entries_chain", "audit_entries_no_truncate"], triggers.Keys.Order());
        Assert.All(triggers.Values, t => Assert.Equal("O", t.Enabled));
        Assert.Contains("BEFORE INSERT", triggers["audit_entries_chain"].Definition, StringComparison.Ordinal);
        Assert.Contains("FOR EACH ROW", triggers["audit_entries_chain"].Definition, StringComparison.Ordinal);
        Assert.Contains("BEFORE DELETE OR UPDATE", triggers["audit_entries_append_only"].Definition, StringComparison.Ordinal);
        Assert.Contains("BEFORE TRUNCATE", triggers["audit_entries_no_truncate"].Definition, StringComparison.Ordinal);

        // Migrating again (as every instance does at start) changes nothing.
        await WithContextAsync(migrated, db => db.Database.MigrateAsync());
        await using var history = new NpgsqlCommand("""SELECT count(*) = count(DISTINCT "MigrationId") FROM "__EFMigrationsHistory" """, connection);
        Assert.True((bool)(await history.ExecuteScalarAsync())!);
    }

    [Fact]
    public void QuartzTables_AreTheSchemaTheQuartzPackageShips()
    {
        // Quartz's own provisioning script, with its table prefix ({0}, and {1} in index names) filled in. A Quartz
        // upgrade that changes it fails here: its changes need a migration of their own.
        using var stream = typeof(Quartz.IScheduler).Assembly.GetManifestResourceStream("Quartz.Impl.AdoJobStore.Schema.create_postgres.sql");
        Assert.NotNull(stream);
        using var reader = new StreamReader(stream);
        var shipped = reader.ReadToEnd().Replace("{0}", QuartzSchemaSql.TablePrefix, StringComparison.Ordinal)
            .Replace("{1}", QuartzSchemaSql.TablePrefix, StringComparison.Ordinal);

        Assert.Equal(Statements(shipped), Statements(QuartzSchemaSql.Create));
    }

    /// <summary>SQL without comments and blank lines, one trimmed line each.</summary>
    private static List<string> Statements(string sql) =>
        [.. sql.Split('\n').Select(l => l.Trim()).Where(l => l.Length > 0 && !l.StartsWith("--", StringComparison.Ordinal))];

    /// <summary>An EdcDbContext built the way the API builds it: the same registration, options and interceptor.</summary>
    private static async Task WithContextAsync(string connectionString, Func<EdcDbContext, Task> action)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["ConnectionStrings:Edc"] = connectionString })
            .Build();
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddEdcInfrastructure();
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true });
        await using var scope = provider.CreateAsyncScope();
        await action(scope.ServiceProvider.GetRequiredService<EdcDbContext>());
    }

    private static async Task<HashSet<(string Section, string Key, string Description)>> CatalogAsync(string connectionString)
    {
        var catalog = new HashSet<(string, string, string)>();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        foreach (var (section, sql) in CatalogQueries)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            await using var reader = await command.ExecuteReaderAsync();
            while (await reader.ReadAsync())
            {
                catalog.Add((section, reader.GetString(0), reader.IsDBNull(1) ? "(null)" : reader.GetString(1)));
            }
        }

        return catalog;
    }

    private static string Diff(
        IReadOnlyCollection<(string Section, string Key, string Description)> onlyMigrated,
        IReadOnlyCollection<(string Section, string Key, string Description)> onlyModel)
    {
        var text = new StringBuilder();
        text.AppendLine($"The migrated schema differs from the model ({onlyMigrated.Count + onlyModel.Count} differences):");
        var keys = onlyMigrated.Select(e => (e.Section, e.Key)).Union(onlyModel.Select(e => (e.Section, e.Key))).Order();
        foreach (var (section, key) in keys)
        {
            var migrated = onlyMigrated.Where(e => e.Section == section && e.Key == key).Select(e => e.Description).ToList();
            var model = onlyModel.Where(e => e.Section == section && e.Key == key).Select(e => e.Description).ToList();
            text.AppendLine($"- {section} {key}:");
            text.AppendLine($"    migration: {(migrated.Count == 0 ? "(missing)" : string.Join(" / ", migrated))}");
            text.AppendLine($"    model:     {(model.Count == 0 ? "(missing)" : string.Join(" / ", model))}");
        }

        return text.ToString();
    }
}

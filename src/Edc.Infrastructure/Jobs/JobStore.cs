using Hangfire.PostgreSql;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Edc.Infrastructure.Jobs;

/// <summary>
/// Hangfire's job storage: its own tables in the schema <c>hangfire</c> of the application's database, reached through a
/// pool of its own. The schema is installed by <see cref="Install"/> under the start-up lock, not by the storage on first
/// use: two instances starting at once on an empty database would otherwise race to create it.
/// </summary>
public static class JobStore
{
    public const string Schema = "hangfire";
    public const string SettingsSection = "Edc:JobServer";

    /// <summary>Creates Hangfire's tables, or upgrades them to the installed package's version; does nothing when they are current.</summary>
    public static void Install(string connectionString)
    {
        // Unpooled: used once per start, it should not stay open in a pool afterwards.
        using var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        connection.Open();
        PostgreSqlObjectsInstaller.Install(connection, Schema);
    }

    /// <summary>
    /// The storage over the application's database, with the timings of <c>Edc:JobServer</c>. The connection string is
    /// read when a connection is opened: a local database started with the host supplies it after the storage exists.
    /// </summary>
    public static PostgreSqlStorage Create(Func<string> connectionString, IConfiguration configuration)
    {
        var settings = configuration.GetSection(SettingsSection);
        var options = new PostgreSqlStorageOptions
        {
            SchemaName = Schema,
            PrepareSchemaIfNecessary = false,
            // Workers wait on LISTEN/NOTIFY, so an enqueued or triggered job starts at once; the interval bounds the wait.
            EnableLongPolling = true,
            QueuePollInterval = settings.GetValue("PollInterval", TimeSpan.FromSeconds(15)),
            // A job fetched by an instance that dies is fetched again by another once this long has passed without the
            // dead instance's keep-alive; a live instance keeps extending it, however long its job runs.
            UseSlidingInvisibilityTimeout = true,
            InvisibilityTimeout = settings.GetValue("InvisibilityTimeout", TimeSpan.FromMinutes(5)),
        };
        return new PostgreSqlStorage(new ConnectionFactory(connectionString), options);
    }

    private sealed class ConnectionFactory(Func<string> connectionString) : IConnectionFactory
    {
        public NpgsqlConnection GetOrCreateConnection() => new(connectionString());
    }
}

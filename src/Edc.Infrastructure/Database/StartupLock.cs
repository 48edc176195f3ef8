using Npgsql;

namespace Edc.Infrastructure.Database;

/// <summary>
/// A session-level PostgreSQL advisory lock held while an instance migrates and seeds, so that several API
/// instances starting at once on one database do it one after the other, and the later ones find it done.
/// </summary>
public sealed class StartupLock : IAsyncDisposable
{
    private const long LockKey = 0x_EDC_0001;
    private readonly NpgsqlConnection _connection;

    private StartupLock(NpgsqlConnection connection) => _connection = connection;

    public static async Task<StartupLock> AcquireAsync(string connectionString, CancellationToken cancellationToken)
    {
        // Unpooled: closing it ends the session, and the lock with it, whatever happened to the unlock.
        var connection = new NpgsqlConnection(new NpgsqlConnectionStringBuilder(connectionString) { Pooling = false }.ConnectionString);
        await connection.OpenAsync(cancellationToken);
        await using var command = new NpgsqlCommand("SELECT pg_advisory_lock(@key)", connection);
        command.Parameters.AddWithValue("key", LockKey);
        await command.ExecuteNonQueryAsync(cancellationToken);
        return new StartupLock(connection);
    }

    public async ValueTask DisposeAsync()
    {
        // Closing the session releases the lock as well; the explicit unlock just makes it prompt.
        await using (var command = new NpgsqlCommand("SELECT pg_advisory_unlock(@key)", _connection))
        {
            command.Parameters.AddWithValue("key", LockKey);
            await command.ExecuteNonQueryAsync();
        }

        await _connection.DisposeAsync();
    }
}

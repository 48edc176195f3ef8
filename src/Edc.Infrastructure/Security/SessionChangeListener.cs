using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace Edc.Infrastructure.Security;

/// <summary>
/// Hears the database's announcements of session changes (<see cref="SessionCache.Channel"/>) on a connection of its own
/// and makes <see cref="SessionCache"/> forget the changed user's copies. It runs on a thread of its own, not the thread
/// pool, so a busy instance hears an announcement as soon as it arrives. While the connection is down the cache is not
/// used; once it is back, the cache starts empty.
/// </summary>
public sealed partial class SessionChangeListener(SessionCache cache, IConfiguration configuration, ILogger<SessionChangeListener> logger)
    : IHostedService, IDisposable
{
    public const string ApplicationName = "edc-session-listener";

    // How long one wait for an announcement lasts, so a stop is seen that soon, and how many waits pass between checks
    // that the connection is still alive (a connection lost without a word would otherwise look like a quiet one).
    private const int WaitMilliseconds = 250;
    private const int WaitsBetweenChecks = 40;

    private readonly CancellationTokenSource _stopping = new();
    private Thread? _thread;

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (cache.Enabled)
        {
            var connectionString = new NpgsqlConnectionStringBuilder(InfrastructureServices.RequireConnectionString(configuration))
            {
                Pooling = false,
                ApplicationName = ApplicationName,
                CommandTimeout = 10,
            }.ConnectionString;
            _thread = new Thread(() => Listen(connectionString)) { IsBackground = true, Name = "Session change listener" };
            _thread.Start();
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        _stopping.Cancel();
        _thread?.Join(WaitMilliseconds * 4);
        return Task.CompletedTask;
    }

    public void Dispose() => _stopping.Dispose();

    private void Listen(string connectionString)
    {
        while (!_stopping.IsCancellationRequested)
        {
            try
            {
                using var connection = new NpgsqlConnection(connectionString);
                connection.Notification += (_, announcement) => Forget(announcement.Payload);
                connection.Open();
                using (var listen = new NpgsqlCommand($"LISTEN {SessionCache.Channel}", connection))
                {
                    listen.ExecuteNonQuery();
                }

                cache.StartListening();
                for (var waits = 1; !_stopping.IsCancellationRequested; waits++)
                {
                    if (!connection.Wait(WaitMilliseconds) && waits % WaitsBetweenChecks == 0)
                    {
                        using var check = new NpgsqlCommand("SELECT 1", connection);
                        check.ExecuteScalar();
                    }
                }
            }
            catch (Exception exception) when (exception is NpgsqlException or IOException or InvalidOperationException or TimeoutException)
            {
                LogConnectionLost(exception);
            }
            finally
            {
                cache.StopListening();
            }

            _stopping.Token.WaitHandle.WaitOne(TimeSpan.FromSeconds(1));
        }
    }

    private void Forget(string payload)
    {
        if (Guid.TryParse(payload, out var userId))
        {
            cache.Forget(userId);
        }
        else
        {
            cache.ForgetAll();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Session announcements cannot be heard; every request reads its session until they can again")]
    private partial void LogConnectionLost(Exception exception);
}

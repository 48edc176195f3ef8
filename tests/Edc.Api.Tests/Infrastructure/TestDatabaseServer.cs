using Edc.Infrastructure.Database;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// One private PostgreSQL cluster for the whole test run, in a temporary folder, started on first use and
/// stopped when the test process exits. Each test class creates its own database in it.
/// </summary>
public static class TestDatabaseServer
{
    private static readonly Lazy<Task<LocalPostgres>> Server = new(StartAsync);

    public static Task<LocalPostgres> GetAsync() => Server.Value;

    public static async Task<string> CreateDatabaseAsync()
    {
        var server = await GetAsync();
        var name = "edc_test_" + Guid.NewGuid().ToString("N")[..12];
        await server.CreateDatabaseIfMissingAsync(name);
        return server.ConnectionString(name);
    }

    private static async Task<LocalPostgres> StartAsync()
    {
        // Not a 0700 temp subdirectory: as root, the cluster runs as the postgres user, who must reach the folder.
        var folder = Path.Combine(Path.GetTempPath(), "edc-tests-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var server = await LocalPostgres.StartAsync(folder, LocalPostgres.FindFreePort(), durable: false);
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            server.StopAsync().GetAwaiter().GetResult();
            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (IOException)
            {
                // Left for the OS to clean: a temp folder.
            }
            catch (UnauthorizedAccessException)
            {
            }
        };
        return server;
    }
}

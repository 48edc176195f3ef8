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

    private const string FolderPrefix = "edc-tests-";

    private static async Task<LocalPostgres> StartAsync()
    {
        RemoveAbandonedClusters();

        // Not a 0700 temp subdirectory: as root, the cluster runs as the postgres user, who must reach the folder.
        var folder = Path.Combine(Path.GetTempPath(), FolderPrefix + Guid.NewGuid().ToString("N")[..8]);
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

    /// <summary>
    /// Deletes the clusters of earlier runs whose process ended without its exit handler (a test host stopped from
    /// outside leaves its 1-2 GB behind): those whose server is gone and that nothing has written to for ten minutes (a
    /// run starting beside this one is still writing its own).
    /// </summary>
    private static void RemoveAbandonedClusters()
    {
        foreach (var folder in Directory.EnumerateDirectories(Path.GetTempPath(), FolderPrefix + "*"))
        {
            if (ServerRunsIn(folder) || Directory.GetLastWriteTimeUtc(folder) > DateTime.UtcNow.AddMinutes(-10))
            {
                continue;
            }

            try
            {
                Directory.Delete(folder, recursive: true);
            }
            catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
            {
                // Another run is deleting it, or it is not ours to delete.
            }
        }
    }

    private static bool ServerRunsIn(string folder)
    {
        var pidFile = Path.Combine(folder, "postmaster.pid");
        try
        {
            if (!File.Exists(pidFile) || !int.TryParse(File.ReadLines(pidFile).FirstOrDefault(), out var pid))
            {
                return false;
            }

            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return true; // unreadable: leave it
        }
    }
}

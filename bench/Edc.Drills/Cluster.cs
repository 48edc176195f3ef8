using System.Diagnostics;
using Edc.Infrastructure.Database;
using Npgsql;

namespace Edc.Drills;

/// <summary>
/// The drills' private, durable PostgreSQL cluster (<see cref="LocalPostgres"/>), which the outage drill stops abruptly
/// and starts again on the same port.
/// </summary>
internal sealed class Cluster(string folder, int port)
{
    public const string Database = "edc_drills";

    private LocalPostgres? _server;

    public string Folder { get; } = folder;

    public int Port { get; } = port;

    public string BinDirectory { get; } = LocalPostgres.FindBinDirectory() ?? throw new DrillException(LocalPostgres.MissingBinariesMessage);

    /// <summary>The drill's own connections, told apart from the API's by their application name.</summary>
    public string ConnectionString => _server!.ConnectionString(Database) + ";Application Name=edc-drill;Pooling=false";

    /// <summary>The API's connection string: its backends carry <paramref name="applicationName"/> in pg_stat_activity.</summary>
    public string ApiConnectionString(string applicationName) => _server!.ConnectionString(Database) + $";Application Name={applicationName}";

    public async Task StartAsync(CancellationToken ct)
    {
        _server = await LocalPostgres.StartAsync(Folder, Port, durable: true, cancellationToken: ct);
        await _server.CreateDatabaseIfMissingAsync(Database, ct);
    }

    /// <summary>Stops the server at once (<c>pg_ctl stop -m immediate</c>): no clean shutdown, crash recovery at the next start.</summary>
    public async Task StopImmediatelyAsync()
    {
        var pgCtl = Path.Combine(BinDirectory, "pg_ctl");
        string[] arguments = ["stop", "-D", Folder, "-m", "immediate", "-w"];
        var startInfo = Environment.IsPrivilegedProcess
            ? new ProcessStartInfo("runuser", ["-u", "postgres", "--", pgCtl, .. arguments])
            : new ProcessStartInfo(pgCtl, arguments);
        startInfo.RedirectStandardOutput = true;
        startInfo.RedirectStandardError = true;
        startInfo.WorkingDirectory = "/";
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync();
        var error = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new DrillException($"pg_ctl stop -m immediate failed: {await error}{await output}");
        }
    }

    /// <summary>Starts the stopped cluster again on the same port (crash recovery included).</summary>
    public async Task RestartAsync(CancellationToken ct)
    {
        // The drill's own pooled connections died with the server.
        NpgsqlConnection.ClearAllPools();
        _server = await LocalPostgres.StartAsync(Folder, Port, durable: true, cancellationToken: ct);
    }

    public async Task StopAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync();
        }
    }
}

internal sealed class DrillException(string message) : Exception(message);

using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace Edc.Infrastructure.Database;

/// <summary>
/// A private PostgreSQL cluster run from the installed server binaries: used by the run command when no
/// connection string is configured, and by the functional tests. Its data stays in <see cref="DataDirectory"/>.
/// </summary>
public sealed class LocalPostgres : IAsyncDisposable
{
    public const string SuperUser = "edc";

    public const string MissingBinariesMessage =
        "Edc needs PostgreSQL. Either install its server binaries (Debian/Ubuntu: sudo apt-get install postgresql) so Edc " +
        "can run a private database itself, or set ConnectionStrings__Edc to an existing PostgreSQL database.";

    private readonly string _binDirectory;
    private bool _stopped;

    private LocalPostgres(string binDirectory, string dataDirectory, int port)
    {
        _binDirectory = binDirectory;
        DataDirectory = dataDirectory;
        Port = port;
    }

    public string DataDirectory { get; }

    public int Port { get; }

    /// <summary>
    /// Finds initdb and pg_ctl: only in <paramref name="configured"/> when given; otherwise the newest
    /// /usr/lib/postgresql/N/bin, then PATH.
    /// </summary>
    public static string? FindBinDirectory(string? configured = null)
    {
        var candidates = new List<string>();
        if (!string.IsNullOrEmpty(configured))
        {
            return HasServerBinaries(configured) ? configured : null;
        }

        if (Directory.Exists("/usr/lib/postgresql"))
        {
            candidates.AddRange(Directory.GetDirectories("/usr/lib/postgresql")
                .Select(d => (Dir: d, Version: int.TryParse(Path.GetFileName(d), out var v) ? v : 0))
                .OrderByDescending(d => d.Version)
                .Select(d => Path.Combine(d.Dir, "bin")));
        }

        candidates.AddRange((Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries));
        return candidates.FirstOrDefault(HasServerBinaries);
    }

    private static bool HasServerBinaries(string directory) =>
        File.Exists(Path.Combine(directory, "initdb")) && File.Exists(Path.Combine(directory, "pg_ctl"));

    public static int FindFreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Creates the cluster if the folder holds none, and starts it (or adopts it if already running).
    /// <paramref name="durable"/> false trades crash safety for speed, for throw-away test clusters.
    /// </summary>
    public static async Task<LocalPostgres> StartAsync(
        string dataDirectory, int port, bool durable, string? binDirectory = null, CancellationToken cancellationToken = default)
    {
        binDirectory = FindBinDirectory(binDirectory) ?? throw new LocalPostgresException(MissingBinariesMessage);
        dataDirectory = Path.GetFullPath(dataDirectory);
        var server = new LocalPostgres(binDirectory, dataDirectory, port);
        if (!File.Exists(Path.Combine(dataDirectory, "PG_VERSION")))
        {
            await server.InitializeClusterAsync(cancellationToken);
        }

        if (await server.RunAsync("pg_ctl", ["status", "-D", dataDirectory], cancellationToken, throwOnError: false) == 0)
        {
            // Left running by an earlier run that did not stop cleanly: adopt it on the port it listens on.
            var pidLines = await File.ReadAllLinesAsync(Path.Combine(dataDirectory, "postmaster.pid"), cancellationToken);
            return new LocalPostgres(binDirectory, dataDirectory, int.Parse(pidLines[3], CultureInfo.InvariantCulture));
        }

        var settings = $"-p {port} -c listen_addresses=127.0.0.1 -c unix_socket_directories='' -c max_connections=300";
        if (!durable)
        {
            settings += " -c fsync=off -c synchronous_commit=off -c full_page_writes=off";
        }

        await server.RunAsync(
            "pg_ctl",
            ["start", "-D", dataDirectory, "-w", "-t", "60", "-l", Path.Combine(dataDirectory, "server.log"), "-o", settings],
            cancellationToken);
        return server;
    }

    public string ConnectionString(string database) => new NpgsqlConnectionStringBuilder
    {
        Host = "127.0.0.1",
        Port = Port,
        Username = SuperUser,
        Database = database,
    }.ConnectionString;

    public async Task CreateDatabaseIfMissingAsync(string database, CancellationToken cancellationToken = default)
    {
        await using var connection = new NpgsqlConnection(ConnectionString("postgres"));
        await connection.OpenAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await using var create = new NpgsqlCommand($"CREATE DATABASE \"{database.Replace("\"", "\"\"", StringComparison.Ordinal)}\"", connection);
            await create.ExecuteNonQueryAsync(cancellationToken);
        }
    }

    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        if (await RunAsync("pg_ctl", ["status", "-D", DataDirectory], CancellationToken.None, throwOnError: false) == 0)
        {
            await RunAsync("pg_ctl", ["stop", "-D", DataDirectory, "-m", "fast", "-w"], CancellationToken.None, throwOnError: false);
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private async Task InitializeClusterAsync(CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(DataDirectory);
        if (RunsAsRoot)
        {
            // initdb refuses to run as root: the cluster belongs to the postgres user.
            await RunProcessAsync("chown", ["postgres:postgres", DataDirectory], cancellationToken);
        }

        var exitCode = await RunAsync(
            "initdb",
            ["-D", DataDirectory, "-U", SuperUser, "--auth=trust", "--encoding=UTF8", "--no-locale"],
            cancellationToken,
            throwOnError: false);
        if (exitCode != 0)
        {
            throw new LocalPostgresException(
                $"initdb could not create a cluster in {DataDirectory}" +
                (RunsAsRoot ? " (as root it runs as the postgres user, who must be able to reach that folder)" : string.Empty) +
                ". Set Edc__LocalDatabase__DataDirectory to another folder, or set ConnectionStrings__Edc.");
        }
    }

    private static bool RunsAsRoot => Environment.IsPrivilegedProcess;

    private Task<int> RunAsync(string tool, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var executable = Path.Combine(_binDirectory, tool);
        return RunsAsRoot
            ? RunProcessAsync("runuser", ["-u", "postgres", "--", executable, .. arguments], cancellationToken, throwOnError)
            : RunProcessAsync(executable, arguments, cancellationToken, throwOnError);
    }

    private static async Task<int> RunProcessAsync(string fileName, IReadOnlyList<string> arguments, CancellationToken cancellationToken, bool throwOnError = true)
    {
        var startInfo = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = "/",
        };
        foreach (var argument in arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        using var process = Process.Start(startInfo) ?? throw new LocalPostgresException($"Could not start {fileName}.");
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        if (throwOnError && process.ExitCode != 0)
        {
            throw new LocalPostgresException(
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} failed ({process.ExitCode}): {await error}{await output}");
        }

        return process.ExitCode;
    }
}

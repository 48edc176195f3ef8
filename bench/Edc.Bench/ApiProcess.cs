using System.Diagnostics;
using System.Globalization;
using Edc.Infrastructure.Database;

namespace Edc.Bench;

/// <summary>The API could not be started, or stopped answering at start-up.</summary>
internal sealed class ApiProcessException(string message) : Exception(message);

/// <summary>
/// The Release build of the API (or of the suite's twin), run as its own process as in production (Production environment,
/// logging at Warning), on a loopback port. Shared by the benchmarks and the fault drills (linked into their projects): its
/// output is kept in a log file, lines at level fail/crit are counted, and it can be killed hard as a crashed host.
/// </summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    public const string AdminEmail = "bench-admin@edc.local";
    public const string AdminPassword = "Bench-Admin-Password-2026";

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private readonly StreamWriter _log;
    private int _errorLines;

    private ApiProcess(Process process, Uri baseAddress, string name, string logFile)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
        LogFile = logFile;
        _log = new StreamWriter(logFile) { AutoFlush = true };
    }

    public Uri BaseAddress { get; }

    /// <summary>The name of the instance, also the application name its database connections carry when the caller sets it.</summary>
    public string Name { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>Everything the API wrote, kept after the run (unhandled errors with their stack traces among it).</summary>
    public string LogFile { get; }

    /// <summary>Lines the API logged at level "fail" or "crit" (unhandled errors among them).</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    /// <summary>
    /// Starts the API on <paramref name="connectionString"/> with the bootstrap admin, the demonstration trial's definition
    /// loaded and tokens that last a whole run; <paramref name="settings"/> (environment variables) add to or override that.
    /// </summary>
    public static Task<ApiProcess> StartAsync(
        string root, string connectionString, string name, IReadOnlyDictionary<string, string>? settings, CancellationToken cancellationToken)
    {
        var environment = new Dictionary<string, string>
        {
            ["ConnectionStrings__Edc"] = connectionString,
            ["Edc__Bootstrap__AdminEmail"] = AdminEmail,
            ["Edc__Bootstrap__AdminPassword"] = AdminPassword,
            ["Edc__TrialDefinitions__LoadAtStartup"] = "true",
            ["Edc__TrialDefinitions__Directory"] = Path.Combine(root, "src", "Edc.Api", "TrialDefinitions"),
            // Long enough for a whole run: the suite signs in once and sends the same bearer token from wrk.
            ["Edc__Tokens__AccessTokenMinutes"] = "240",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            environment[key] = value;
        }

        return LaunchAsync(Path.Combine(root, "src", "Edc.Api", "bin", "Release", "net10.0"), "Edc.Api.dll", name, environment, cancellationToken);
    }

    /// <summary>The suite's plain twin (bench/Edc.Twin), started exactly as the API is, on the same database.</summary>
    public static Task<ApiProcess> StartTwinAsync(string root, string connectionString, CancellationToken cancellationToken) =>
        LaunchAsync(
            Path.Combine(root, "bench", "Edc.Twin", "bin", "Release", "net10.0"), "Edc.Twin.dll", "edc-bench-twin",
            new Dictionary<string, string> { ["ConnectionStrings__Edc"] = connectionString }, cancellationToken);

    /// <summary>A Release build as its own process: Production, logging at Warning, on a free loopback port; ready when /health/ready answers.</summary>
    private static async Task<ApiProcess> LaunchAsync(
        string folder, string dll, string name, Dictionary<string, string> environment, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path.Combine(folder, dll)))
        {
            throw new ApiProcessException($"No Release build of {dll} in {folder}: run the script in bench/, which builds it.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{LocalPostgres.FindFreePort()}");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(folder, dll));
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in environment)
        {
            startInfo.Environment[key] = value;
        }

        var logFile = Path.Combine(Path.GetTempPath(), $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        var api = new ApiProcess(new Process { StartInfo = startInfo }, baseAddress, name, logFile);
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), cancellationToken);
        }
        catch
        {
            Console.Error.WriteLine(api.OutputTail());
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    private async Task WaitUntilReadyAsync(TimeSpan within, CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new ApiProcessException($"{Name} exited with code {_process.ExitCode} at start-up.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }
            catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
            }

            await Task.Delay(250, cancellationToken);
        }

        throw new ApiProcessException($"{Name} was not ready within {within.TotalSeconds:0} s.");
    }

    /// <summary>SIGKILL: the process ends at once, mid-request or mid-job, as a crashed host would.</summary>
    public async Task KillHardAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: false);
            await _process.WaitForExitAsync();
        }
    }

    public string OutputTail()
    {
        lock (_output)
        {
            return string.Join('\n', _output);
        }
    }

    /// <summary>
    /// SIGTERM first, as a service manager stops it (SIGINT may be ignored when started from a background shell); killed
    /// if it does not stop within 20 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                using (var interrupt = Process.Start("kill", ["-TERM", _process.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await interrupt.WaitForExitAsync();
                }

                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
                try
                {
                    await _process.WaitForExitAsync(timeout.Token);
                }
                catch (OperationCanceledException)
                {
                    _process.Kill(entireProcessTree: true);
                    await _process.WaitForExitAsync();
                }
            }
        }
        finally
        {
            _process.Dispose();
            lock (_output)
            {
                _log.Dispose();
            }
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        if (line.StartsWith("fail:", StringComparison.Ordinal) || line.StartsWith("crit:", StringComparison.Ordinal))
        {
            Interlocked.Increment(ref _errorLines);
        }

        lock (_output)
        {
            _log.WriteLine(line);
            _output.Enqueue(line);
            if (_output.Count > 60)
            {
                _output.Dequeue();
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Edc.Infrastructure.Database;

namespace Edc.Drills;

/// <summary>
/// The Release build of the API run as its own process (Production, loopback), as bench/Edc.Bench does, with the
/// means a drill needs: its process id, whether it is still running, a hard kill, and extra settings.
/// </summary>
internal sealed class ApiInstance : IAsyncDisposable
{
    public const string AdminEmail = "drill-admin@edc.local";
    public const string AdminPassword = "Drill-Admin-Password-2026";

    private readonly Process _process;
    private readonly Queue<string> _output = new();
    private StreamWriter? _log;
    private int _errorLines;

    private ApiInstance(Process process, Uri baseAddress, string name)
    {
        _process = process;
        BaseAddress = baseAddress;
        Name = name;
    }

    public Uri BaseAddress { get; }

    /// <summary>The application name its database connections carry.</summary>
    public string Name { get; }

    public int ProcessId => _process.Id;

    /// <summary>Everything the API wrote, kept after the run (unhandled errors with their stack traces among it).</summary>
    public string LogFile { get; private set; } = string.Empty;

    public bool HasExited => _process.HasExited;

    /// <summary>Lines the API logged at level "fail" or "crit" (unhandled errors among them).</summary>
    public int ErrorLines => Volatile.Read(ref _errorLines);

    public static async Task<ApiInstance> StartAsync(
        string root, Cluster cluster, string name, IReadOnlyDictionary<string, string>? settings, CancellationToken ct)
    {
        var folder = Path.Combine(root, "src", "Edc.Api", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(folder, "Edc.Api.dll")))
        {
            throw new DrillException($"No Release build of the API in {folder}: run bench/drills.sh, which builds it.");
        }

        var baseAddress = new Uri($"http://127.0.0.1:{LocalPostgres.FindFreePort()}");
        var startInfo = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = folder,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        startInfo.ArgumentList.Add(Path.Combine(folder, "Edc.Api.dll"));
        startInfo.ArgumentList.Add("--urls");
        startInfo.ArgumentList.Add(baseAddress.ToString().TrimEnd('/'));
        startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        startInfo.Environment["ConnectionStrings__Edc"] = cluster.ApiConnectionString(name);
        startInfo.Environment["Edc__Bootstrap__AdminEmail"] = AdminEmail;
        startInfo.Environment["Edc__Bootstrap__AdminPassword"] = AdminPassword;
        startInfo.Environment["Edc__TrialDefinitions__LoadAtStartup"] = "false";
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        startInfo.Environment["Logging__Console__FormatterName"] = "simple";
        foreach (var (key, value) in settings ?? new Dictionary<string, string>())
        {
            startInfo.Environment[key] = value;
        }

        var api = new ApiInstance(new Process { StartInfo = startInfo }, baseAddress, name);
        api.LogFile = Path.Combine(Path.GetTempPath(), $"{name}-{DateTime.UtcNow:yyyyMMdd-HHmmss}.log");
        api._log = new StreamWriter(api.LogFile) { AutoFlush = true };
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilReadyAsync(TimeSpan.FromMinutes(2), ct);
        }
        catch
        {
            Console.Error.WriteLine(api.OutputTail());
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    public async Task WaitUntilReadyAsync(TimeSpan within, CancellationToken ct)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow + within;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new DrillException($"The API ({Name}) exited with code {_process.ExitCode}.");
            }

            try
            {
                using var response = await client.GetAsync(new Uri("/health/ready", UriKind.Relative), ct);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
            }

            await Task.Delay(250, ct);
        }

        throw new DrillException($"The API ({Name}) was not ready within {within.TotalSeconds:0} s.");
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

    /// <summary>SIGTERM first, as a service manager stops it; killed if it does not stop within 20 s.</summary>
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
                _log?.Dispose();
                _log = null;
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
            _log?.WriteLine(line);
            _output.Enqueue(line);
            if (_output.Count > 60)
            {
                _output.Dequeue();
            }
        }
    }
}

using System.Diagnostics;
using System.Globalization;
using Edc.Infrastructure.Database;

namespace Edc.Bench;

/// <summary>The Release build of the API, run as its own process as in production, on a loopback port.</summary>
internal sealed class ApiProcess : IAsyncDisposable
{
    public const string AdminEmail = "bench-admin@edc.local";
    public const string AdminPassword = "Bench-Admin-Password-2026";

    private readonly Process _process;
    private readonly Queue<string> _output = new();

    private ApiProcess(Process process, Uri baseAddress)
    {
        _process = process;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public static async Task<ApiProcess> StartAsync(string root, string connectionString, CancellationToken cancellationToken)
    {
        var folder = Path.Combine(root, "src", "Edc.Api", "bin", "Release", "net10.0");
        if (!File.Exists(Path.Combine(folder, "Edc.Api.dll")))
        {
            throw new BenchException($"No Release build of the API in {folder}: run bench/randomization.sh, which builds it.");
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
        startInfo.Environment["ConnectionStrings__Edc"] = connectionString;
        startInfo.Environment["Edc__Bootstrap__AdminEmail"] = AdminEmail;
        startInfo.Environment["Edc__Bootstrap__AdminPassword"] = AdminPassword;
        startInfo.Environment["Edc__TrialDefinitions__LoadAtStartup"] = "true";
        startInfo.Environment["Edc__TrialDefinitions__Directory"] = Path.Combine(root, "src", "Edc.Api", "TrialDefinitions");
        startInfo.Environment["Logging__LogLevel__Default"] = "Warning";
        // Long enough for a whole run: the suite signs in once and sends the same bearer token from wrk.
        startInfo.Environment["Edc__Tokens__AccessTokenMinutes"] = "240";

        var api = new ApiProcess(new Process { StartInfo = startInfo }, baseAddress);
        api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
        api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
        api._process.Start();
        api._process.BeginOutputReadLine();
        api._process.BeginErrorReadLine();
        try
        {
            await api.WaitUntilReadyAsync(cancellationToken);
        }
        catch
        {
            Console.Error.WriteLine(api.OutputTail());
            await api.DisposeAsync();
            throw;
        }

        return api;
    }

    private async Task WaitUntilReadyAsync(CancellationToken cancellationToken)
    {
        using var client = new HttpClient { BaseAddress = BaseAddress, Timeout = TimeSpan.FromSeconds(5) };
        var deadline = DateTime.UtcNow.AddMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
            {
                throw new BenchException($"The API exited with code {_process.ExitCode} at start-up.");
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

        throw new BenchException("The API was not ready within 2 minutes.");
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
        }
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.Enqueue(line);
            if (_output.Count > 40)
            {
                _output.Dequeue();
            }
        }
    }
}

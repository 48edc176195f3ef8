using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Edc.Api.Tests.Infrastructure;
using Edc.Infrastructure.Database;

namespace Edc.Api.Tests;

/// <summary>
/// The README's run command as a user meets it: the built API started as a process in Development with no
/// connection string, stopped with Ctrl-C (SIGINT), and started again on the same data.
/// </summary>
public sealed class RunCommandTests
{
    private const string DevelopmentAdminPassword = "Edc-Admin-Password-2026";

    [Fact]
    public async Task Run_WithoutConnectionString_StartsItsOwnDatabaseStopsCleanlyAndKeepsDataAcrossRestarts()
    {
        var folder = Path.Combine(Path.GetTempPath(), "edc-run-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(folder);
        var dataDirectory = Path.Combine(folder, "postgres");
        var databasePort = LocalPostgres.FindFreePort();
        try
        {
            for (var run = 1; run <= 2; run++)
            {
                await using var api = await ApiProcess.StartAsync(new Dictionary<string, string>
                {
                    ["Edc__LocalDatabase__DataDirectory"] = dataDirectory,
                    ["Edc__LocalDatabase__Port"] = databasePort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                });
                Assert.True(api.Started, $"run {run} did not start: {api.Output}");
                Assert.Contains("/api/auth/login", api.Output, StringComparison.Ordinal);

                using var client = new HttpClient { BaseAddress = api.BaseAddress };
                Assert.Equal(HttpStatusCode.OK, (await client.GetAsync("/health/ready")).StatusCode);
                var login = await client.PostAsJsonAsync("/api/auth/login", new { email = "admin@edc.local", password = DevelopmentAdminPassword });
                Assert.Equal(HttpStatusCode.OK, login.StatusCode);
                client.DefaultRequestHeaders.Authorization = new("Bearer", (await login.JsonAsync()).GetProperty("accessToken").GetString());
                var trials = await client.GetJsonAsync("/api/trials");
                Assert.Equal(1, trials.GetProperty("total").GetInt32());
                Assert.Equal(EdcApiFactory.DemoTrialCode, trials.GetProperty("items")[0].GetProperty("code").GetString());
                if (run == 1)
                {
                    // Data written in the first run must be there in the second.
                    await client.AddSiteAsync(trials.GetProperty("items")[0].GetProperty("id").GetGuid(), "KEPT");
                }
                else
                {
                    var sites = await client.GetJsonAsync($"/api/trials/{trials.GetProperty("items")[0].GetProperty("id").GetGuid()}/sites");
                    Assert.Equal(["HSS", "KEPT"], sites.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
                }

                var exitCode = await api.InterruptAsync();
                Assert.True(exitCode == 0, $"exit code {exitCode}: {api.Output}");
                Assert.False(File.Exists(Path.Combine(dataDirectory, "postmaster.pid")), "PostgreSQL is still running after Ctrl-C");
            }
        }
        finally
        {
            var leftOver = await LocalPostgres.StartAsync(dataDirectory, databasePort, durable: false);
            await leftOver.StopAsync();
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public async Task Run_WithoutPostgresAndWithoutConnectionString_SaysInOneMessageWhatToInstall()
    {
        await using var api = await ApiProcess.StartAsync(new Dictionary<string, string>
        {
            ["Edc__LocalDatabase__BinDirectory"] = "/nonexistent/postgresql/bin",
        });

        var exitCode = await api.WaitForExitAsync();

        Assert.Equal(1, exitCode);
        Assert.Contains("apt-get install postgresql", api.Output, StringComparison.Ordinal);
        Assert.Contains("ConnectionStrings__Edc", api.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", api.Output, StringComparison.Ordinal);
    }

    private sealed class ApiProcess : IAsyncDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();
        private readonly TaskCompletionSource<bool> _listening = new(TaskCreationOptions.RunContinuationsAsynchronously);

        private ApiProcess(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
        }

        public Uri BaseAddress { get; }

        public bool Started { get; private set; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        public const int StillRunning = int.MinValue;

        public static async Task<ApiProcess> StartAsync(IReadOnlyDictionary<string, string> environment)
        {
            var folder = AppContext.BaseDirectory;
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
            startInfo.Environment.Remove("ConnectionStrings__Edc");
            startInfo.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
            foreach (var (key, value) in environment)
            {
                startInfo.Environment[key] = value;
            }

            var api = new ApiProcess(new Process { StartInfo = startInfo }, baseAddress);
            api._process.OutputDataReceived += (_, e) => api.Append(e.Data);
            api._process.ErrorDataReceived += (_, e) => api.Append(e.Data);
            api._process.Start();
            api._process.BeginOutputReadLine();
            api._process.BeginErrorReadLine();
            var exited = api._process.WaitForExitAsync();
            api.Started = await Task.WhenAny(api._listening.Task, exited, Task.Delay(TimeSpan.FromSeconds(120))) == api._listening.Task;
            return api;
        }

        public async Task<int> InterruptAsync()
        {
            using (var kill = Process.Start("kill", ["-INT", _process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture)]))
            {
                await kill.WaitForExitAsync();
            }

            return await WaitForExitAsync();
        }

        /// <summary>The exit code, or <see cref="StillRunning"/> after two minutes (a loaded machine stops slowly), so the assertion shows the output.</summary>
        public async Task<int> WaitForExitAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            try
            {
                await _process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                return StillRunning;
            }

            return _process.ExitCode;
        }

        public async ValueTask DisposeAsync()
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }

            if (line.Contains("Press Ctrl+C to stop.", StringComparison.Ordinal))
            {
                _listening.TrySetResult(true);
            }
        }
    }
}

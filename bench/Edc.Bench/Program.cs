using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Runtime.InteropServices;
using System.Text.Json;
using Edc.Bench;
using Edc.Infrastructure.Database;
using Npgsql;

// bench/suite.sh (and randomization.sh, mrss.sh, adverse-events.sh, which run part of it): see README.md, "Benchmarks".
// Options: --duration S (timed run per side, 15)  --clients N (wrk connections, 32)  --fast (fsync off)  --note "text"
//          --only ceiling,casebook,worklist,adverse-event-entry,mrss,randomization,safety-summary,casebook-page,mrss-form,grid,form-save,form-edit
//                 | adverse-event-list
BenchOptions options;
try
{
    options = BenchOptions.Parse(args);
}
catch (BenchException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var total = Stopwatch.StartNew();

// Bounded in time; Ctrl-C or SIGTERM stop the run, and the API, the twin and PostgreSQL are stopped either way.
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30 + options.Only.Count * options.Duration / 10));
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    stop.Cancel();
};
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
{
    context.Cancel = true;
    stop.Cancel();
});

var ct = stop.Token;
var root = BenchOptions.RepositoryRoot();
var machine = await MachineInfo.SampleAsync(ct);
Console.WriteLine($"Machine: {machine.Cpus} CPUs, {machine.MemoryGiB:0.0} GiB, CPU busy before start {machine.BusyBeforeStartPercent:0}% (load average {machine.LoadAverageAtStart})");

// Not a 0700 temp subdirectory: as root, the cluster runs as the postgres user, who must reach the folder.
var folder = Path.Combine(Path.GetTempPath(), "edc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
LocalPostgres? database = null;
ApiProcess? api = null;
ApiProcess? twin = null;
Suite? suite = null;
try
{
    database = await LocalPostgres.StartAsync(folder, LocalPostgres.FindFreePort(), durable: !options.Fast, cancellationToken: ct);
    await database.CreateDatabaseIfMissingAsync("edc_bench", ct);
    var connectionString = database.ConnectionString("edc_bench");
    Console.WriteLine($"PostgreSQL: {folder} on port {database.Port}, {(options.Fast ? "fsync off" : "durable (fsync on)")}");
    api = await ApiProcess.StartAsync(root, connectionString, "edc-bench-api", null, ct);
    twin = await ApiProcess.StartTwinAsync(root, connectionString, ct);
    Console.WriteLine($"API: {api.BaseAddress}, twin: {twin.BaseAddress} (Release, Production)");
    suite = new Suite(api.BaseAddress, twin.BaseAddress, database, connectionString, options, root);

    var setupClock = Stopwatch.StartNew();
    var plan = new List<Func<CancellationToken, Task<Workload>>>();
    Func<IReadOnlyList<string>> setup;
    if (options.Only.Contains(BenchOptions.AdverseEventList))
    {
        var (workloads, description) = await AdverseEventList.SetUpAsync(api.BaseAddress, connectionString, ct);
        plan.AddRange(workloads.Select(w => (Func<CancellationToken, Task<Workload>>)(_ => Task.FromResult(w))));
        setup = () => [description];
    }
    else
    {
        var trial = await SuiteTrial.SetUpAsync(api.BaseAddress, connectionString, options, suite, ct);
        plan.AddRange(trial.Workloads.Where(w => options.Only.Contains(w.Key)).Select(w => w.Prepare));
        setup = () => trial.Descriptions;
    }

    Console.WriteLine($"Set up in {setupClock.Elapsed.TotalSeconds:0} s");
    var rows = new List<SuiteRow>();
    foreach (var prepare in plan)
    {
        rows.Add(await suite.RunAsync(await prepare(ct), ct));
        Suite.Print(rows[^1]);
    }

    // The audit chain after every write, as the API verifies it.
    using var admin = await Http.SignedInClientAsync(api.BaseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
    var verification = await admin.GetFromJsonAsync<JsonElement>(new Uri("/api/audit/verification", UriKind.Relative), ct);
    var intact = verification.GetProperty("intact").GetBoolean();
    var auditLine = $"audit chain {(intact ? "intact" : "BROKEN")}: {verification.GetProperty("rowsChecked").GetInt64()} rows checked (GET /api/audit/verification)";
    Console.WriteLine(auditLine);

    string version;
    await using (var connection = new NpgsqlConnection(connectionString))
    {
        await connection.OpenAsync(ct);
        await using var show = new NpgsqlCommand("SHOW server_version", connection);
        version = (string)(await show.ExecuteScalarAsync(ct))!;
    }

    var file = Path.Combine(root, "bench", "results", $"{DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}-{options.ResultsName}.md");
    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
    await File.WriteAllTextAsync(file, suite.Markdown(machine, version, rows, setup(), auditLine, total.Elapsed), CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine(Suite.Table(rows));
    Console.WriteLine();
    Console.WriteLine($"Load average now {MachineInfo.LoadAverageNow()} (at start {machine.LoadAverageAtStart}, {machine.Cpus} CPUs)");
    Console.WriteLine($"Written to {Path.GetRelativePath(root, file)}");
    if (api.ErrorLines + twin.ErrorLines > 0)
    {
        Console.WriteLine($"Errors logged: API {api.ErrorLines} ({api.LogFile}), twin {twin.ErrorLines} ({twin.LogFile})");
    }

    var ok = intact && rows.All(r => r.Ok);
    if (!ok)
    {
        Console.Error.WriteLine("The run is not valid: errors or failed checks, see the verification section of the results file.");
    }

    return ok ? 0 : 1;
}
catch (Exception e) when (e is OperationCanceledException or LocalPostgresException or BenchException or ApiProcessException or HttpRequestException or NpgsqlException or JsonException)
{
    Console.Error.WriteLine($"Benchmark failed: {e.Message}");
    foreach (var process in new[] { api, twin }.OfType<ApiProcess>())
    {
        Console.Error.WriteLine($"{process.Name} output (last lines; all in {process.LogFile}):");
        Console.Error.WriteLine(process.OutputTail());
    }

    return 1;
}
finally
{
    suite?.DeleteWorkFolder();
    foreach (var process in new[] { twin, api }.OfType<ApiProcess>())
    {
        await process.DisposeAsync();
    }

    if (database is not null)
    {
        await database.StopAsync();
    }

    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (IOException)
    {
        // A temporary folder: left for the OS to clean.
    }
    catch (UnauthorizedAccessException)
    {
    }

    Console.WriteLine($"Stopped the API, the twin and PostgreSQL; total {total.Elapsed.TotalSeconds:0} s");
}

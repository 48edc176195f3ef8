using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Edc.Bench;
using Edc.Infrastructure.Database;

// Randomization (default), MRSS (--workload mrss, first) or adverse-event list (--workload adverse-events) benchmark: see README.md, "Benchmarks". Options (all optional):
//   --clients 32  --warmup 50  --requests 1000  --slots 5000  --fast (fsync off)  --note "free text for the results file"
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

// Bounded in time; Ctrl-C or SIGTERM stop the run, and the API and PostgreSQL are stopped either way.
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(options.Workload == "suite" ? 30 : 15));
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

var root = BenchOptions.RepositoryRoot();
var machine = await MachineInfo.SampleAsync(stop.Token);
Console.WriteLine($"Machine: {machine.Cpus} CPUs, {machine.MemoryGiB:0.0} GiB, CPU busy before start {machine.BusyBeforeStartPercent:0}% (load average {machine.LoadAverageAtStart})");

// Not a 0700 temp subdirectory: as root, the cluster runs as the postgres user, who must reach the folder.
var folder = Path.Combine(Path.GetTempPath(), "edc-bench-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
LocalPostgres? database = null;
ApiProcess? api = null;
try
{
    database = await LocalPostgres.StartAsync(folder, LocalPostgres.FindFreePort(), durable: !options.Fast, cancellationToken: stop.Token);
    await database.CreateDatabaseIfMissingAsync("edc_bench", stop.Token);
    var connectionString = database.ConnectionString("edc_bench");
    Console.WriteLine($"PostgreSQL: {folder} on port {database.Port}, {(options.Fast ? "fsync off" : "durable (fsync on)")}");

    api = await ApiProcess.StartAsync(root, connectionString, "edc-bench-api", null, stop.Token);
    Console.WriteLine($"API: {api.BaseAddress} (Release, Production)");

    if (options.Workload == "suite")
    {
        // Every workload with wrk against its plain-SQL twin, and the pipeline ceiling: see Suite.cs.
        return await Suite.RunAsync(api.BaseAddress, database, connectionString, options, machine, root, total, stop.Token);
    }

    if (options.Workload == "adverse-events")
    {
        // Its own set-up (sites, users, 100,000 adverse events) and read-only cases: see AdverseEventWorkload.cs.
        return await AdverseEventWorkload.RunAsync(api.BaseAddress, database, connectionString, options, machine, root, total, stop.Token);
    }

    var setup = await Setup.RunAsync(api.BaseAddress, connectionString, root, options, stop.Token);
    Console.WriteLine($"Set up: {options.Warmup + options.Requests} enrolled participants per trial, lists of {options.Slots} slots");

    if (options.Workload == "mrss")
    {
        var randomizing = System.Diagnostics.Stopwatch.StartNew();
        await MrssWorkload.RandomizeAllAsync(api.BaseAddress, setup, options, stop.Token);
        Console.WriteLine($"Set up: randomized every participant of both trials through the API in {randomizing.Elapsed.TotalSeconds:0} s");

        var apiMrss = await MrssWorkload.ApiAsync(api.BaseAddress, connectionString, setup, options, stop.Token);
        Console.WriteLine(apiMrss.Line("API (HTTP, EF Core)"));
        var apiMrssCheck = await MrssWorkload.CheckAsync(connectionString, setup.ApiTrial, options.Warmup + options.Requests, stop.Token);
        var mrssShape = await MrssWorkload.AuditShapeAsync(connectionString, setup.ApiTrial, stop.Token);
        var auditPerSave = (double)apiMrss.AuditRowsAdded / options.Requests;
        Console.WriteLine($"API: {auditPerSave:0.##} audit rows per save ({string.Join(", ", mrssShape.Fields.Select(f => f.Field))})");

        // The plain twin twice, on halves of its trial's participants: with Npgsql's defaults, then preparing its statements as the API does.
        var perRun = options.Warmup + options.Requests;
        var plainTrial = setup.PlainTrial;
        var plainMrss = await MrssWorkload.PlainSqlAsync(connectionString, plainTrial, [.. plainTrial.Participants.Take(perRun)], prepared: false, mrssShape, options, stop.Token);
        Console.WriteLine(plainMrss.Line("plain SQL (Npgsql)"));
        var preparedMrss = await MrssWorkload.PlainSqlAsync(connectionString, plainTrial, [.. plainTrial.Participants.Skip(perRun)], prepared: true, mrssShape, options, stop.Token);
        Console.WriteLine(preparedMrss.Line("plain SQL (Npgsql, prepared statements)"));
        var plainMrssCheck = await MrssWorkload.CheckAsync(connectionString, plainTrial, 2 * perRun, stop.Token);

        var version = await Verification.PostgresVersionAsync(connectionString, stop.Token);
        var mrssReport = MrssWorkload.Markdown(
            options, machine, version, apiMrss, plainMrss, preparedMrss, apiMrssCheck, plainMrssCheck, auditPerSave, mrssShape, total.Elapsed);
        var mrssFile = Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-mrss.md");
        Directory.CreateDirectory(Path.GetDirectoryName(mrssFile)!);
        await File.WriteAllTextAsync(mrssFile, mrssReport, CancellationToken.None);
        Console.WriteLine();
        Console.WriteLine(Report.Table(apiMrss, plainMrss, MrssWorkload.ApiName, preparedMrss));
        Console.WriteLine();
        Console.WriteLine($"Written to {Path.GetRelativePath(root, mrssFile)}");
        var mrssOk = apiMrss.Failures.Count == 0 && plainMrss.Failures.Count == 0 && preparedMrss.Failures.Count == 0 && apiMrssCheck.Ok && plainMrssCheck.Ok
            && mrssShape.Fields.Count == Math.Round(auditPerSave) && plainMrss.AuditRowsAdded == apiMrss.AuditRowsAdded
            && preparedMrss.AuditRowsAdded == apiMrss.AuditRowsAdded;
        if (!mrssOk)
        {
            Console.Error.WriteLine("The run is not valid: see the verification section of the results file.");
        }

        return mrssOk ? 0 : 1;
    }

    var apiRun = await Workloads.ApiAsync(api.BaseAddress, connectionString, setup, options, stop.Token);
    Console.WriteLine(apiRun.Line("API (HTTP, EF Core)"));
    var apiCheck = await Verification.CheckAsync(connectionString, setup.ApiTrial, options.Warmup + options.Requests, stop.Token);
    var auditShape = await Workloads.AuditShapeAsync(connectionString, setup.ApiTrial, stop.Token);
    var auditPerRandomization = (double)apiRun.AuditRowsAdded / options.Requests;
    Console.WriteLine($"API: {auditPerRandomization:0.##} audit rows per randomization ({string.Join(", ", auditShape.Fields.Select(f => f.EntityType + "." + f.Field))})");

    var plainRun = await Workloads.PlainSqlAsync(connectionString, setup, auditShape, options, stop.Token);
    Console.WriteLine(plainRun.Line("plain SQL (Npgsql)"));
    var plainCheck = await Verification.CheckAsync(connectionString, setup.PlainTrial, options.Warmup + options.Requests, stop.Token);

    var postgresVersion = await Verification.PostgresVersionAsync(connectionString, stop.Token);
    var report = Report.Markdown(options, machine, postgresVersion, apiRun, plainRun, apiCheck, plainCheck, auditPerRandomization, auditShape, total.Elapsed);
    var file = Path.Combine(root, "bench", "results", DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) + "-randomization.md");
    Directory.CreateDirectory(Path.GetDirectoryName(file)!);
    await File.WriteAllTextAsync(file, report, CancellationToken.None);
    Console.WriteLine();
    Console.WriteLine(Report.Table(apiRun, plainRun));
    Console.WriteLine();
    Console.WriteLine($"Written to {Path.GetRelativePath(root, file)}");

    var ok = apiRun.Failures.Count == 0 && plainRun.Failures.Count == 0 && apiCheck.Ok && plainCheck.Ok
        && auditShape.Fields.Count == Math.Round(auditPerRandomization);
    if (!ok)
    {
        Console.Error.WriteLine("The run is not valid: see the verification section of the results file.");
    }

    return ok ? 0 : 1;
}
catch (Exception e) when (e is OperationCanceledException or LocalPostgresException or BenchException or ApiProcessException or HttpRequestException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"Benchmark failed: {e.Message}");
    if (api is not null)
    {
        Console.Error.WriteLine("API output (last lines):");
        Console.Error.WriteLine(api.OutputTail());
    }

    return 1;
}
finally
{
    if (api is not null)
    {
        await api.DisposeAsync();
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

    Console.WriteLine($"Stopped the API and PostgreSQL; total {total.Elapsed.TotalSeconds:0} s");
}

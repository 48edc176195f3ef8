using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Edc.Bench;
using Edc.Drills;
using Edc.Infrastructure.Database;

// Fault drills: see README.md, "Fault drills". Options (all optional):
//   --only 1,2,3,4,5   --clients 16   --outage-seconds 5   --participants 400   --hostile 10000
var only = new HashSet<int> { 1, 2, 3, 4, 5 };
int clients = 16, outageSeconds = 5, killParticipants = 400, hostile = 10_000;
for (var i = 0; i < args.Length; i++)
{
    string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value");
    switch (args[i])
    {
        case "--only": only = [.. Next().Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture))]; break;
        case "--clients": clients = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--outage-seconds": outageSeconds = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--participants": killParticipants = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        case "--hostile": hostile = int.Parse(Next(), CultureInfo.InvariantCulture); break;
        default:
            Console.Error.WriteLine($"Unknown option {args[i]}; known: --only 1,2,3,4,5 --clients N --outage-seconds N --participants N --hostile N");
            return 2;
    }
}

var total = Stopwatch.StartNew();
using var stop = new CancellationTokenSource(TimeSpan.FromMinutes(30));
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

var root = RepositoryRoot();
var ct = stop.Token;
// Not a 0700 temp subdirectory: as root, the cluster runs as the postgres user, who must reach the folder.
var folder = Path.Combine(Path.GetTempPath(), "edc-drills-" + Guid.NewGuid().ToString("N")[..8]);
Directory.CreateDirectory(folder);
var cluster = new Cluster(folder, LocalPostgres.FindFreePort());
ApiProcess? api = null;
var reports = new List<DrillReport>();
try
{
    await cluster.StartAsync(ct);
    Console.WriteLine($"PostgreSQL: {folder} on port {cluster.Port}, durable (fsync on)");
    // The main instance runs without a job server (drill 3 starts two instances of its own with one each).
    api = await ApiProcess.StartAsync(root, cluster.ApiConnectionString("edc-drill-api"), "edc-drill-api", new Dictionary<string, string>
    {
        ["Edc__TrialDefinitions__LoadAtStartup"] = "false",
        ["Edc__JobServer__Enabled"] = "false",
        // The hostile drill sends failing sign-ins by the thousand; with the default limits they would all stop at 429.
        ["Edc__RateLimits__FailedSignInsPerAddress"] = "1000000",
        ["Edc__RateLimits__FailedSignInsPerAccount"] = "1000000",
    }, ct);
    Console.WriteLine($"API: {api.BaseAddress} (Release, Production, pid {api.ProcessId})");

    // Set-up through the API: three trials, one account per role, lists.
    var adminToken = await Http.SignInAsync(api.BaseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
    using var admin = Http.Client(api.BaseAddress, adminToken);
    var outageTrial = await DrillSetup.CreateTrialAsync(admin, "DRILL-OUTAGE", ct);
    var killTrial = await DrillSetup.CreateTrialAsync(admin, "DRILL-KILL", ct);
    var lockedTrial = await DrillSetup.CreateTrialAsync(admin, "DRILL-LOCKED", ct);
    var accounts = await DrillSetup.AccountsAsync(api.BaseAddress, [outageTrial, killTrial, lockedTrial], ct);
    using var statistician = Http.Client(api.BaseAddress, accounts.Statistician);
    using var coordinator = Http.Client(api.BaseAddress, accounts.Coordinator);
    await DrillSetup.CreateListAsync(statistician, outageTrial, 4000, ct);
    await DrillSetup.CreateListAsync(statistician, killTrial, Math.Max(killParticipants, 100), ct);
    await DrillSetup.CreateListAsync(statistician, lockedTrial, 20, ct);
    var setupClock = Stopwatch.StartNew();
    var enrolled = only.Contains(2) || only.Contains(3) ? await DrillSetup.EnrolledAsync(coordinator, killTrial, killParticipants, "KILL", ct) : [];
    var fixture = await HostileFixtureAsync(api.BaseAddress, lockedTrial, accounts, ct);
    Console.WriteLine($"Set up: trials DRILL-OUTAGE, DRILL-KILL ({enrolled.Count} enrolled), DRILL-LOCKED (locked, with a randomized participant, MRSS, AE); one account per role ({setupClock.Elapsed.TotalSeconds:0} s)");
    Console.WriteLine();

    if (only.Contains(1))
    {
        reports.Add(await OutageDrill.RunAsync(api, cluster, outageTrial, accounts, clients, TimeSpan.FromSeconds(outageSeconds), ct));
        Console.WriteLine();
    }

    if (only.Contains(2))
    {
        reports.Add(await KillDrill.RunAsync(api, cluster, killTrial, accounts, enrolled, clients, ct));
        Console.WriteLine();
    }

    if (only.Contains(3))
    {
        if (!only.Contains(2))
        {
            // Without drill 2 nobody of the kill trial is randomized: randomize a few, so the digest has visits to report.
            foreach (var participant in enrolled.Take(20))
            {
                Http.Expect(await Http.PostAsync(coordinator, $"/api/trials/{killTrial.Id}/participants/{participant}/randomization", null, ct), "randomizing");
            }
        }

        reports.Add(await JobServerDrill.RunAsync(root, cluster, killTrial, ct));
        Console.WriteLine();
    }

    if (only.Contains(4))
    {
        reports.Add(await HostileDrill.RunAsync(api, cluster, fixture, hostile, ct));
        Console.WriteLine();
    }

    if (only.Contains(5))
    {
        reports.Add(await BackupDrill.RunAsync(root, cluster, outageTrial, accounts, api.BaseAddress, ct));
        Console.WriteLine();
    }

    Console.WriteLine($"API log lines at level fail/crit during the drills: {api.ErrorLines} (the API's output: {api.LogFile})");
    foreach (var report in reports)
    {
        Console.WriteLine($"{report.Verdict,-8} {report.Name}");
    }

    return reports.All(r => r.Passed || r.Skipped) ? 0 : 1;
}
catch (Exception e) when (e is OperationCanceledException or LocalPostgresException or DrillException or ApiProcessException or HttpRequestException or Npgsql.NpgsqlException)
{
    Console.Error.WriteLine($"Drills failed: {e}");
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

    await cluster.StopAsync();
    try
    {
        Directory.Delete(folder, recursive: true);
    }
    catch (Exception e) when (e is IOException or UnauthorizedAccessException)
    {
        // A temporary folder: left for the OS to clean.
    }

    Console.WriteLine($"Stopped the API and PostgreSQL; total {total.Elapsed.TotalSeconds:0} s");
}

static async Task<HostileFixture> HostileFixtureAsync(Uri baseAddress, DrillTrial trial, Accounts accounts, CancellationToken ct)
{
    using var coordinator = Http.Client(baseAddress, accounts.Coordinator);
    using var dsmb = Http.Client(baseAddress, accounts.Dsmb);
    using var admin = Http.Client(baseAddress, accounts.Admin);
    var participants = $"/api/trials/{trial.Id}/participants";
    var participant = Http.Expect(await Http.PostAsync(coordinator, participants, new { siteId = trial.Site, screeningNumber = "LOCKED-001", sex = "F", birthYear = 1970 }, ct), "registering")
        .GetProperty("id").GetGuid();
    Http.Expect(await Http.PostAsync(coordinator, $"{participants}/{participant}/enrollment", DrillSetup.Enrollment(0), ct), "enrolling");
    Http.Expect(await Http.PostAsync(coordinator, $"{participants}/{participant}/randomization", null, ct), "randomizing");
    Http.Expect(await Http.PutAsync(coordinator, $"{participants}/{participant}/visits/D0/mrss", DrillSetup.Mrss(1), ct), "the MRSS");
    var adverseEvent = Http.Expect(await Http.PostAsync(coordinator, $"{participants}/{participant}/adverse-events", new
    {
        term = "Headache",
        onsetDate = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        ongoing = true,
        grade = 1,
        serious = false,
        seriousnessCriteria = Array.Empty<string>(),
        relatedness = "Unlikely",
        actionTaken = "DoseNotChanged",
        outcome = "Recovering",
    }, ct), "the adverse event").GetProperty("id").GetGuid();
    var request = Http.Expect(await Http.PostAsync(dsmb, $"/api/trials/{trial.Id}/unblinding-requests", new { justification = "Drill" }, ct), "the unblinding request")
        .GetProperty("id").GetGuid();
    Http.Expect(await Http.PostAsync(admin, $"/api/trials/{trial.Id}/lock", null, ct), "locking");
    return new HostileFixture(trial, participant, adverseEvent, request, accounts.UserIds["Coordinator"], "drill-coordinator@edc.local", accounts);
}

static string RepositoryRoot()
{
    for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
    {
        if (File.Exists(Path.Combine(directory.FullName, "Edc.sln")))
        {
            return directory.FullName;
        }
    }

    throw new DrillException("Run from the repository (no Edc.sln found above the current directory).");
}

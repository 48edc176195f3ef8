using System.Diagnostics;
using System.Text.Json;
using Edc.Bench;
using Edc.Infrastructure.Database;

namespace Edc.Drills;

/// <summary>
/// Drill 5: a backup taken with <c>ops/backup.sh</c> while coordinators keep registering participants, restored with
/// <c>ops/restore.sh</c> into a fresh cluster, and Edc started on it. The restore must match the backup's manifest (row
/// counts, the audit trail's last sequence number and hash, the whole chain), Edc on it must verify its audit chain intact
/// through that hash, and a corrupted copy of the dump must be refused.
/// </summary>
internal static class BackupDrill
{
    private const string RestoredDatabase = "edc_restored";

    public static async Task<DrillReport> RunAsync(string root, Cluster cluster, DrillTrial trial, Accounts accounts, Uri api, CancellationToken ct)
    {
        var report = new DrillReport("5. Backup and restore");
        Console.WriteLine($"{report.Name}: ops/backup.sh while 4 coordinators register participants; ops/restore.sh into a fresh cluster; Edc started on it");
        var work = cluster.Folder + "-backup";
        var folder = Path.Combine(work, "backups");
        Directory.CreateDirectory(folder);
        try
        {
            return await RunInAsync(root, work, folder, cluster, trial, accounts, api, report, ct);
        }
        finally
        {
            try
            {
                Directory.Delete(work, recursive: true);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A temporary folder: left for the OS to clean.
            }
        }
    }

    private static async Task<DrillReport> RunInAsync(
        string root, string work, string folder, Cluster cluster, DrillTrial trial, Accounts accounts, Uri api, DrillReport report, CancellationToken ct)
    {

        // Writers keep the audit chain growing during the backup: the manifest must still be exactly what the dump holds.
        using var stopWriters = new CancellationTokenSource();
        var registered = 0;
        var writers = Enumerable.Range(0, 4).Select(c => Task.Run(async () =>
        {
            using var http = Http.Client(api, accounts.Coordinator);
            for (var n = 0; !stopWriters.IsCancellationRequested; n++)
            {
                var answer = await Http.PostAsync(http, $"/api/trials/{trial.Id}/participants",
                    new { siteId = trial.Site, screeningNumber = $"BKP-{c}-{n:D5}", sex = "F", birthYear = 1970 }, CancellationToken.None);
                if (answer.Ok)
                {
                    Interlocked.Increment(ref registered);
                }
            }
        })).ToList();
        await Task.Delay(1000, ct);
        var backup = await RunAsync(root, "ops/backup.sh", [Uri(cluster.Port, Cluster.Database), folder], ct);
        await Task.Delay(1000, ct);
        await stopWriters.CancelAsync();
        await Task.WhenAll(writers);
        report.Line($"backup: exit {backup.ExitCode} in {backup.Elapsed.TotalSeconds:0.0} s, while {registered} participants were registered around it");
        report.Check(backup.ExitCode == 0, "ops/backup.sh made a backup" + (backup.ExitCode == 0 ? "" : ": " + Http.Truncate(backup.Output)));
        if (backup.ExitCode != 0)
        {
            return report;
        }

        var manifestFile = Directory.GetFiles(folder, "*.manifest.json").Single();
        using var manifest = JsonDocument.Parse(await File.ReadAllTextAsync(manifestFile, ct));
        var dump = Path.Combine(folder, manifest.RootElement.GetProperty("dump").GetString()!);
        var lastSequence = manifest.RootElement.GetProperty("audit").GetProperty("lastSequence").GetInt64();
        var lastHash = manifest.RootElement.GetProperty("audit").GetProperty("lastHash").GetString()!;
        var counts = manifest.RootElement.GetProperty("rowCounts").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());
        var liveSequence = await Integrity.ScalarAsync(cluster.ConnectionString, "SELECT max(seq) FROM audit_entries", ct);
        report.Line($"manifest: audit trail up to {lastSequence} ({lastHash[..16]}…), {counts["participants"]} participants; the live trail has gone on to {liveSequence}");
        report.Check(liveSequence > lastSequence, "the trail grew during the backup (the manifest is the dump's snapshot, not a later read)");

        await using var restored = await LocalPostgres.StartAsync(Path.Combine(work, "restored"), LocalPostgres.FindFreePort(), durable: true, cancellationToken: ct);
        await restored.CreateDatabaseIfMissingAsync(RestoredDatabase, ct);
        var restore = await RunAsync(root, "ops/restore.sh", [dump, Uri(restored.Port, RestoredDatabase)], ct);
        report.Line($"restore: exit {restore.ExitCode} in {restore.Elapsed.TotalSeconds:0.0} s: {Http.Truncate(restore.Output.Trim(), 200)}");
        report.Check(restore.ExitCode == 0, "ops/restore.sh restored the dump and found it matching its manifest");

        var restoredCs = restored.ConnectionString(RestoredDatabase);
        var differing = new List<string>();
        foreach (var (table, expected) in counts)
        {
            var actual = await Integrity.ScalarAsync(restoredCs, $"SELECT count(*) FROM public.\"{table}\"", ct);
            if (actual != expected)
            {
                differing.Add($"{table} {actual}/{expected}");
            }
        }

        report.Check(differing.Count == 0, $"every table's row count is the manifest's ({counts.Count} tables){(differing.Count == 0 ? "" : ": " + string.Join(", ", differing))}");

        await using (var edc = await ApiProcess.StartAsync(root, restoredCs, "edc-drill-restored", new Dictionary<string, string>
        {
            ["Edc__TrialDefinitions__LoadAtStartup"] = "false",
            ["Edc__JobServer__Enabled"] = "false",
        }, ct))
        {
            var token = await Http.SignInAsync(edc.BaseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
            var (intact, text) = await Integrity.VerifyAuditChainAsync(edc.BaseAddress, token, ct);
            var hashAtLast = (await Integrity.ColumnAsync<string>(restoredCs, "SELECT hash FROM audit_entries WHERE seq = @seq", ct, ("seq", lastSequence))).SingleOrDefault();
            report.Line($"Edc on the restored database: {text}");
            report.Check(intact, "Edc started on the restore and verifies its audit chain intact");
            report.Check(hashAtLast == lastHash, "the restored chain passes through the manifest's last hash at its last sequence number");
            report.Check(edc.ErrorLines == 0, $"Edc on the restore logged no error ({edc.ErrorLines})");
        }

        // A damaged dump is refused before anything is restored.
        var damagedFolder = Path.Combine(folder, "damaged");
        Directory.CreateDirectory(damagedFolder);
        foreach (var file in Directory.GetFiles(folder))
        {
            File.Copy(file, Path.Combine(damagedFolder, Path.GetFileName(file)));
        }

        var damaged = Path.Combine(damagedFolder, Path.GetFileName(dump));
        await using (var stream = new FileStream(damaged, FileMode.Open, FileAccess.ReadWrite))
        {
            stream.Position = stream.Length / 2;
            var b = stream.ReadByte();
            stream.Position = stream.Length / 2;
            stream.WriteByte((byte)(b ^ 0xFF));
        }

        await restored.CreateDatabaseIfMissingAsync("edc_damaged", ct);
        var refused = await RunAsync(root, "ops/restore.sh", [damaged, Uri(restored.Port, "edc_damaged")], ct);
        var tables = await Integrity.ScalarAsync(restored.ConnectionString("edc_damaged"), "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'", ct);
        report.Check(refused.ExitCode != 0 && tables == 0, $"a dump with one byte changed is refused and nothing restored (exit {refused.ExitCode}, {tables} tables)");
        return report;
    }

    /// <summary>The libpq URI of a database of a local cluster (user edc, trusted on loopback).</summary>
    private static string Uri(int port, string database) => $"postgresql://{LocalPostgres.SuperUser}@127.0.0.1:{port}/{database}";

    private static async Task<(int ExitCode, string Output, TimeSpan Elapsed)> RunAsync(string root, string script, string[] arguments, CancellationToken ct)
    {
        var clock = Stopwatch.StartNew();
        var startInfo = new ProcessStartInfo(Path.Combine(root, script), arguments)
        {
            WorkingDirectory = root,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = Process.Start(startInfo)!;
        var output = process.StandardOutput.ReadToEndAsync(ct);
        var error = process.StandardError.ReadToEndAsync(ct);
        await process.WaitForExitAsync(ct);
        return (process.ExitCode, await error + await output, clock.Elapsed);
    }
}

using System.Globalization;
using System.Runtime.InteropServices;

namespace Edc.Bench;

/// <summary>What the figures depend on: the machine, and how busy it was with other work before the benchmark started.</summary>
internal sealed record MachineInfo(
    int Cpus,
    string CpuModel,
    double MemoryGiB,
    string Os,
    string Runtime,
    double BusyBeforeStartPercent,
    string LoadAverageAtStart,
    IReadOnlyList<string> OtherBusyProcesses)
{
    private static readonly TimeSpan Sample = TimeSpan.FromSeconds(3);

    public static async Task<MachineInfo> SampleAsync(CancellationToken ct)
    {
        var load = ReadOr("/proc/loadavg", string.Empty).Split(' ').Take(3);
        var cpuBefore = CpuTimes();
        var processesBefore = ProcessTimes();
        await Task.Delay(Sample, ct);
        var cpuAfter = CpuTimes();
        var processesAfter = ProcessTimes();

        var busy = cpuAfter.Total == cpuBefore.Total
            ? 0
            : 100.0 * ((cpuAfter.Total - cpuAfter.Idle) - (cpuBefore.Total - cpuBefore.Idle)) / (cpuAfter.Total - cpuBefore.Total);
        var ticksPerSecond = 100.0; // USER_HZ on Linux
        var others = processesAfter
            .Where(p => p.Key != Environment.ProcessId && processesBefore.ContainsKey(p.Key))
            .Select(p => (p.Value.Name, Percent: 100.0 * (p.Value.Ticks - processesBefore[p.Key].Ticks) / ticksPerSecond / Sample.TotalSeconds))
            .Where(p => p.Percent >= 5)
            .GroupBy(p => p.Name)
            .Select(g => (Name: g.Key, Percent: g.Sum(p => p.Percent)))
            .OrderByDescending(p => p.Percent)
            .Take(5)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Name} {p.Percent:0}%"))
            .ToList();

        var memoryKiB = ReadOr("/proc/meminfo", string.Empty).Split('\n')
            .Where(l => l.StartsWith("MemTotal:", StringComparison.Ordinal))
            .Select(l => double.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture))
            .FirstOrDefault();
        var cpuModel = ReadOr("/proc/cpuinfo", string.Empty).Split('\n')
            .Where(l => l.StartsWith("model name", StringComparison.Ordinal))
            .Select(l => l[(l.IndexOf(':', StringComparison.Ordinal) + 1)..].Trim())
            .FirstOrDefault() ?? RuntimeInformation.ProcessArchitecture.ToString();
        return new MachineInfo(
            Environment.ProcessorCount, cpuModel, memoryKiB / 1024 / 1024, RuntimeInformation.OSDescription, RuntimeInformation.FrameworkDescription,
            busy, string.Join(' ', load), others);
    }

    public static string LoadAverageNow() => string.Join(' ', ReadOr("/proc/loadavg", string.Empty).Split(' ').Take(3));

    private static (long Total, long Idle) CpuTimes()
    {
        var fields = ReadOr("/proc/stat", "cpu 0 0 0 0").Split('\n')[0].Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1)
            .Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        var idle = fields[3] + (fields.Length > 4 ? fields[4] : 0); // idle + iowait
        return (fields.Sum(), idle);
    }

    private static Dictionary<int, (string Name, long Ticks)> ProcessTimes()
    {
        var result = new Dictionary<int, (string, long)>();
        if (!Directory.Exists("/proc"))
        {
            return result;
        }

        foreach (var directory in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(directory), NumberStyles.None, CultureInfo.InvariantCulture, out var pid))
            {
                continue;
            }

            var stat = ReadOr(Path.Combine(directory, "stat"), string.Empty);
            var open = stat.IndexOf('(', StringComparison.Ordinal);
            var close = stat.LastIndexOf(')');
            if (open < 0 || close < open)
            {
                continue;
            }

            // After the command name: state is field 3, utime 14 and stime 15 (1-based, as in proc(5)).
            var rest = stat[(close + 2)..].Split(' ');
            if (rest.Length > 12
                && long.TryParse(rest[11], NumberStyles.None, CultureInfo.InvariantCulture, out var user)
                && long.TryParse(rest[12], NumberStyles.None, CultureInfo.InvariantCulture, out var system))
            {
                result[pid] = (stat[(open + 1)..close], user + system);
            }
        }

        return result;
    }

    private static string ReadOr(string path, string fallback)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return fallback;
        }
        catch (UnauthorizedAccessException)
        {
            return fallback;
        }
    }
}

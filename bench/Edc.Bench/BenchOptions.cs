using System.Globalization;

namespace Edc.Bench;

internal sealed class BenchException(string message) : Exception(message);

/// <summary>The options of bench/suite.sh (and of the scripts that run part of it).</summary>
internal sealed record BenchOptions(int Clients, int Duration, bool Fast, string? Note, IReadOnlyList<string> Only, string CommandLine)
{
    /// <summary>The suite's workloads in the order they run; the adverse-event list (its own data set) only when asked for, alone.</summary>
    public static readonly string[] Workloads =
    [
        "ceiling", "casebook", "worklist", "adverse-event-entry", "mrss", "randomization", "safety-summary", "casebook-page", "mrss-form",
        "grid", "form-save", "form-edit",
    ];

    public const string AdverseEventList = "adverse-event-list";

    /// <summary>Each side's warm-up before its timed run: long enough for .NET's tiered JIT to reach optimized code on both.</summary>
    public int WarmupSeconds => Math.Clamp(Duration / 3, 1, 5);

    /// <summary>The results file's name: the suite's, or the workloads run.</summary>
    public string ResultsName => Only.SequenceEqual(Workloads) ? "suite" : string.Join('+', Only);

    public static BenchOptions Parse(string[] args)
    {
        var options = new BenchOptions(Clients: 32, Duration: 15, Fast: false, Note: null, Only: Workloads,
            CommandLine: string.Join(' ', ["bench/suite.sh", .. args.Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)]));
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new BenchException($"{args[i - 1]} needs a positive number");
            options = args[i] switch
            {
                "--duration" => options with { Duration = NextInt() },
                "--clients" => options with { Clients = NextInt() },
                "--fast" => options with { Fast = true },
                "--note" => options with { Note = Next() },
                "--only" => options with { Only = Next().Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries) },
                _ => throw new BenchException($"Unknown option {args[i]}; known: --duration S --clients N --fast --note \"text\" --only {string.Join(',', Workloads)},{AdverseEventList}"),
            };
        }

        if (options.Only.Except([.. Workloads, AdverseEventList]).FirstOrDefault() is { } unknown)
        {
            throw new BenchException($"Unknown workload {unknown}; known: {string.Join(", ", Workloads)}, {AdverseEventList}");
        }

        if (options.Only.Contains(AdverseEventList) && options.Only.Count > 1)
        {
            throw new BenchException($"{AdverseEventList} loads its own data set: run it alone (bench/adverse-events.sh).");
        }

        // In the suite's order, whatever the order asked.
        return options with { Only = options.Only.Contains(AdverseEventList) ? options.Only : [.. Workloads.Where(options.Only.Contains)] };
    }

    /// <summary>The folder holding Edc.sln, from the current directory up (the script runs from the root).</summary>
    public static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(Directory.GetCurrentDirectory()); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Edc.sln")))
            {
                return directory.FullName;
            }
        }

        throw new BenchException("Run from the repository (no Edc.sln found above the current directory).");
    }
}

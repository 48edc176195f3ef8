using System.Globalization;

namespace Edc.Bench;

internal sealed class BenchException(string message) : Exception(message);

internal sealed record BenchOptions(int Clients, int Warmup, int Requests, int Slots, bool Fast, string? Note, string Workload = "randomization", int Duration = 15)
{
    public string CommandLine { get; init; } = "bench/randomization.sh";

    public static BenchOptions Parse(string[] args)
    {
        // MRSS saves are cheaper than randomizations: 500 warm-up saves left the API's tiered JIT still compiling
        // through the measured phase (0.55-0.59x the prepared twin over three runs, against 0.81x after 2000).
        var mrss = args.Length >= 2 && args[0] == "--workload" && args[1] == "mrss";
        var options = new BenchOptions(Clients: 32, Warmup: mrss ? 2000 : 500, Requests: mrss ? 3000 : 1000, Slots: mrss ? 10_000 : 5000, Fast: false, Note: null)
        {
            CommandLine = string.Join(' ', [
                args.Length >= 2 && args[0] == "--workload" ? $"bench/{args[1]}.sh" : "bench/randomization.sh",
                .. (args.Length >= 2 && args[0] == "--workload" ? args[2..] : args).Select(a => a.Contains(' ', StringComparison.Ordinal) ? $"\"{a}\"" : a)]),
        };
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new BenchException($"{args[i]} needs a value");
            int NextInt() => int.TryParse(Next(), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
                ? n
                : throw new BenchException($"{args[i - 1]} needs a positive number");
            options = args[i] switch
            {
                "--clients" => options with { Clients = NextInt() },
                "--warmup" => options with { Warmup = NextInt() },
                "--requests" => options with { Requests = NextInt() },
                "--slots" => options with { Slots = NextInt() },
                "--fast" => options with { Fast = true },
                "--note" => options with { Note = Next() },
                "--workload" => options with { Workload = Next() is "randomization" or "mrss" or "adverse-events" or "suite" ? args[i] : throw new BenchException("--workload is randomization, mrss, adverse-events or suite") },
                "--duration" => options with { Duration = NextInt() },
                _ => throw new BenchException($"Unknown option {args[i]}; known: --workload --duration --clients --warmup --requests --slots --fast --note"),
            };
        }

        // The MRSS workload randomizes twice as many participants in its plain trial (its twin runs twice).
        var randomizations = (options.Warmup + options.Requests) * (options.Workload == "mrss" ? 2 : 1);
        if (options.Workload is not ("adverse-events" or "suite") && (options.Slots < randomizations || options.Slots > 10_000))
        {
            throw new BenchException("--slots must cover warm-up plus requests (twice for mrss), and be at most 10000 (the API's limit).");
        }

        return options;
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

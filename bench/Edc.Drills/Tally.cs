using System.Collections.Concurrent;

namespace Edc.Drills;

/// <summary>Answers counted by status, with problem-body checks and a few samples of anything unexpected.</summary>
internal sealed class Tally
{
    private readonly ConcurrentDictionary<int, int> _byStatus = new();
    private readonly ConcurrentDictionary<string, int> _byProblemType = new();
    private readonly ConcurrentQueue<string> _samples = new();
    private int _notProblem;
    private int _transportErrors;

    public int Total => _byStatus.Values.Sum() + _transportErrors;

    /// <summary>Error answers (4xx, 5xx) whose body is not problem+json with the answer's status and a type.</summary>
    public int NotProblem => _notProblem;

    public int TransportErrors => _transportErrors;

    public int Count(int status) => _byStatus.GetValueOrDefault(status);

    public int CountWhere(Func<int, bool> predicate) => _byStatus.Where(p => predicate(p.Key)).Sum(p => p.Value);

    public IReadOnlyCollection<string> Samples => _samples;

    public void Add(Answer answer, string request)
    {
        _byStatus.AddOrUpdate(answer.Status, 1, (_, n) => n + 1);
        if (answer.Status >= 400)
        {
            if (answer.IsProblem)
            {
                _byProblemType.AddOrUpdate($"{answer.Status} {answer.ProblemType}", 1, (_, n) => n + 1);
            }
            else
            {
                Interlocked.Increment(ref _notProblem);
                Sample($"{request} -> {answer.Status} {answer.MediaType} not a problem body: {Http.Truncate(answer.Body, 200)}");
            }
        }

        if (answer.Status >= 500 && answer.Status != 503)
        {
            Sample($"{request} -> {answer.Status}: {Http.Truncate(answer.Body, 300)}");
        }
    }

    public void AddTransportError(string request, Exception e)
    {
        Interlocked.Increment(ref _transportErrors);
        Sample($"{request} -> no answer: {e.GetType().Name}: {Http.Truncate(e.Message, 200)}");
    }

    public void Sample(string line)
    {
        if (_samples.Count < 12)
        {
            _samples.Enqueue(line);
        }
    }

    public string StatusLine() =>
        string.Join(", ", _byStatus.OrderBy(p => p.Key).Select(p => $"{p.Key}: {p.Value}"))
        + (_transportErrors > 0 ? $", no answer: {_transportErrors}" : string.Empty);

    public string ProblemTypesLine() =>
        string.Join(", ", _byProblemType.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key.Replace("urn:edc:problem:", string.Empty, StringComparison.Ordinal)}: {p.Value}"));
}

/// <summary>What a drill printed and whether it passed.</summary>
internal sealed class DrillReport(string name)
{
    private readonly List<(bool Ok, string Check)> _checks = [];

    public string Name { get; } = name;

    public bool Skipped { get; private set; }

    public bool Passed => !Skipped && _checks.All(c => c.Ok);

    public void Line(string text) => Console.WriteLine("  " + text);

    public void Check(bool ok, string what)
    {
        _checks.Add((ok, what));
        Console.WriteLine($"  [{(ok ? "ok" : "FAILED")}] {what}");
    }

    public void Skip(string why)
    {
        Skipped = true;
        Console.WriteLine("  SKIPPED: " + why);
    }

    public string Verdict => Skipped ? "SKIPPED" : Passed ? "PASS" : "FAIL";
}

namespace Edc.Architecture.Tests;

/// <summary>
/// Features (Edc.Api.Features.&lt;Area&gt;) may use one another, but never in a cycle: a cycle means neither can be
/// understood, changed or moved without the other.
/// </summary>
public sealed class FeatureCycleTests
{
    private const string Features = "Edc.Api.Features.";

    [Fact]
    public void Features_UseEachOtherWithoutCycles()
    {
        var graph = CodeModel.Edc.InNamespace("Edc.Api.Features")
            .GroupBy(t => Area(t.Namespace))
            .ToDictionary(
                g => g.Key,
                g => g.SelectMany(t => t.Namespaces).Where(n => n.StartsWith(Features, StringComparison.Ordinal)).Select(Area).Where(a => a != g.Key)
                    .ToHashSet(StringComparer.Ordinal),
                StringComparer.Ordinal);

        Assert.Empty(Cycles(graph));
    }

    [Fact]
    public void Cycles_OfAGraph_AreFoundAndNamed()
    {
        var graph = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A"],
            ["D"] = ["A"],
        };

        Assert.Equal(["A -> B -> C -> A"], Cycles(graph));
    }

    private static string Area(string @namespace) => @namespace[Features.Length..].Split('.')[0];

    /// <summary>Each elementary cycle found by a depth-first walk, named from its smallest area, once.</summary>
    private static List<string> Cycles(Dictionary<string, HashSet<string>> graph)
    {
        var found = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var start in graph.Keys)
        {
            Walk(start, [start]);
        }

        return [.. found];

        void Walk(string node, List<string> path)
        {
            foreach (var next in graph.GetValueOrDefault(node) ?? [])
            {
                if (next == path[0])
                {
                    if (path.Min(StringComparer.Ordinal) == path[0])
                    {
                        found.Add(string.Join(" -> ", path.Append(next)));
                    }
                }
                else if (!path.Contains(next) && string.CompareOrdinal(next, path[0]) > 0)
                {
                    Walk(next, [.. path, next]);
                }
            }
        }
    }
}

using Edc.Domain.Forms;

namespace Edc.Domain.Tests.Forms;

internal static class DefinitionProblems
{
    /// <summary>One of the problems is at the path and says the words.</summary>
    public static void AssertHas(IReadOnlyList<DefinitionProblem> problems, string path, string words) =>
        Assert.True(problems.Any(p => p.Path == path && p.Message.Contains(words, StringComparison.Ordinal)),
            $"No problem at {path} saying '{words}': {string.Join("; ", problems)}");
}

using System.Text.RegularExpressions;

namespace Edc.Architecture.Tests;

/// <summary>The source files: a newcomer finds a type by its name, so each file holds one top-level type and is named after it.</summary>
public sealed partial class SourceFileRulesTests
{
    [Fact]
    public void EveryFile_HoldsOneTopLevelTypeNamedAfterIt()
    {
        var problems = new List<string>();
        foreach (var file in SourceFiles())
        {
            var types = TopLevelType().Matches(File.ReadAllText(file)).Select(m => m.Groups["name"].Value).ToList();
            var name = Path.GetFileNameWithoutExtension(file);
            if (types.Count != 1 || types[0] != name)
            {
                problems.Add($"{Path.GetRelativePath(RepositoryRoot, file)} holds [{string.Join(", ", types)}]");
            }
        }

        Assert.Empty(problems);
    }

    [Fact]
    public void TheRule_SeesTheFilesAndTheirTypes()
    {
        // Guards the test above from passing on nothing: the source tree is found and a known file is read as one type.
        var files = SourceFiles().ToList();
        Assert.True(files.Count > 300, $"only {files.Count} source files found under {RepositoryRoot}");
        var casebook = files.Single(f => f.EndsWith(Path.Combine("Features", "Casebook", "GetCasebook.cs"), StringComparison.Ordinal));
        Assert.Equal(["GetCasebook"], TopLevelType().Matches(File.ReadAllText(casebook)).Select(m => m.Groups["name"].Value));
    }

    private static readonly string RepositoryRoot = FindRepositoryRoot();

    // Generated migrations keep EF's layout (a migration and its designer file share a class); Program.cs has top-level statements.
    private static IEnumerable<string> SourceFiles() =>
        Directory.EnumerateFiles(Path.Combine(RepositoryRoot, "src"), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}Migrations{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != "Program.cs");

    private static string FindRepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Edc.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException("Edc.sln not found above " + AppContext.BaseDirectory);
    }

    // A type declared at the start of a line (file-scoped namespaces: nested types are indented).
    [GeneratedRegex(@"^(?:\[[^\]]*\]\s*)*(?:(?:public|internal|file|static|sealed|abstract|partial|readonly)\s+)*(?:class|record\s+struct|record|interface|enum|struct)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TopLevelType();
}

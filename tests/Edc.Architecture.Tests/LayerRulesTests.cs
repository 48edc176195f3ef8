namespace Edc.Architecture.Tests;

/// <summary>The layers: the domain knows no framework and no other layer; infrastructure knows no API; shared code knows no feature.</summary>
public sealed class LayerRulesTests
{
    [Fact]
    public void Domain_DependsOnNoOtherLayerAndNoFramework()
    {
        string[] forbidden = ["Edc.Infrastructure", "Edc.Api", "Microsoft.EntityFrameworkCore", "Microsoft.AspNetCore", "Npgsql", "MediatR", "FluentValidation", "System.Net"];

        Assert.Empty(Violations(CodeModel.Edc.InNamespace("Edc.Domain"), forbidden));
    }

    [Fact]
    public void Infrastructure_DependsOnNoApi() =>
        Assert.Empty(Violations(CodeModel.Edc.InNamespace("Edc.Infrastructure"), ["Edc.Api"]));

    [Theory]
    [InlineData("Edc.Api.Common")]
    [InlineData("Edc.Api.Blinding")]
    [InlineData("Edc.Api.Security")]
    public void SharedCode_DependsOnNoFeature(string shared) =>
        Assert.Empty(Violations(CodeModel.Edc.InNamespace(shared), ["Edc.Api.Features"]));

    /// <summary>Pages send the endpoints' MediatR commands and queries: no second path to the data, around their rules.</summary>
    [Fact]
    public void WebPages_ReachDataOnlyThroughTheFeaturesHandlers()
    {
        var web = CodeModel.Edc.InNamespace("Edc.Api.Web").ToList();
        Assert.Contains(web, t => t.ToString().Contains("SignIn", StringComparison.Ordinal));
        Assert.Empty(Violations(web, ["Edc.Infrastructure.Persistence", "Microsoft.EntityFrameworkCore", "Npgsql"]));
    }

    private static List<string> Violations(IEnumerable<TypeFacts> types, string[] forbidden) =>
        [.. types.SelectMany(t => t.Namespaces
            .Where(n => forbidden.Any(f => n == f || n.StartsWith(f + ".", StringComparison.Ordinal)))
            .Select(n => $"{t} uses {n}"))];
}

namespace Edc.Domain.Trials;

public sealed record FactorSpec(string Code, string Name, IReadOnlyList<string> Levels);

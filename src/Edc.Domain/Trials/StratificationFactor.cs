namespace Edc.Domain.Trials;

/// <summary>A stratification factor; randomization keeps one sequence per combination of levels.</summary>
public sealed class StratificationFactor : TrialPart
{
    private StratificationFactor()
    {
    }

    internal StratificationFactor(Guid trialId, int ordinal, FactorSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Name = spec.Name;
        Levels = [.. spec.Levels];
    }

    public string Name { get; private set; } = string.Empty;

    public List<string> Levels { get; private set; } = [];
}

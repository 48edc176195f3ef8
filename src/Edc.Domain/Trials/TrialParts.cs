using Edc.Domain.Common;

namespace Edc.Domain.Trials;

/// <summary>An arm of the protocol with its allocation ratio. Arm names are public; assignments are not.</summary>
public sealed class TrialArm : ITrialScoped
{
    private TrialArm()
    {
    }

    internal TrialArm(Guid trialId, int ordinal, ArmSpec spec)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = spec.Code;
        Name = spec.Name;
        Ratio = spec.Ratio;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public int Ratio { get; private set; }
}

/// <summary>A protocol visit: its day relative to randomization (Day 0) and the window around it, in days.</summary>
public sealed class VisitDefinition : ITrialScoped
{
    private VisitDefinition()
    {
    }

    internal VisitDefinition(Guid trialId, int ordinal, VisitSpec spec)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = spec.Code;
        Name = spec.Name;
        Day = spec.Day;
        WindowBefore = spec.WindowBefore;
        WindowAfter = spec.WindowAfter;
        Procedures = [.. spec.Procedures];
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public int Day { get; private set; }

    public int WindowBefore { get; private set; }

    public int WindowAfter { get; private set; }

    public List<string> Procedures { get; private set; } = [];
}

/// <summary>An inclusion or exclusion criterion, answered at enrollment.</summary>
public sealed class EligibilityCriterion : ITrialScoped
{
    private EligibilityCriterion()
    {
    }

    internal EligibilityCriterion(Guid trialId, int ordinal, CriterionSpec spec)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = spec.Code;
        Kind = spec.Kind;
        Text = spec.Text;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public CriterionKind Kind { get; private set; }

    public string Text { get; private set; } = string.Empty;
}

/// <summary>A stratification factor; randomization keeps one sequence per combination of levels.</summary>
public sealed class StratificationFactor : ITrialScoped
{
    private StratificationFactor()
    {
    }

    internal StratificationFactor(Guid trialId, int ordinal, FactorSpec spec)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = spec.Code;
        Name = spec.Name;
        Levels = [.. spec.Levels];
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    public List<string> Levels { get; private set; } = [];
}

/// <summary>A site of a trial. Site-scoped roles see the data of their sites only.</summary>
public sealed class Site : ITrialScoped, ISiteScoped
{
    private Site()
    {
    }

    internal Site(Guid trialId, string code, string name)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Code = code;
        Name = name;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    Guid ISiteScoped.SiteId => Id;
}

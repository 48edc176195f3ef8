using Edc.Domain.Common;

namespace Edc.Domain.Trials;

/// <summary>A part of a trial's protocol definition, identified within its trial by a code and kept in definition order.</summary>
public abstract class TrialPart : ITrialScoped
{
    protected TrialPart()
    {
    }

    protected TrialPart(Guid trialId, int ordinal, string code)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = code;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;
}

/// <summary>An arm of the protocol with its allocation ratio. Arm names are public; assignments are not.</summary>
public sealed class TrialArm : TrialPart
{
    private TrialArm()
    {
    }

    internal TrialArm(Guid trialId, int ordinal, ArmSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Name = spec.Name;
        Ratio = spec.Ratio;
    }

    public string Name { get; private set; } = string.Empty;

    public int Ratio { get; private set; }
}

/// <summary>A protocol visit: its day relative to randomization (Day 0) and the window around it, in days.</summary>
public sealed class VisitDefinition : TrialPart
{
    private VisitDefinition()
    {
    }

    internal VisitDefinition(Guid trialId, int ordinal, VisitSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Name = spec.Name;
        Day = spec.Day;
        WindowBefore = spec.WindowBefore;
        WindowAfter = spec.WindowAfter;
        Procedures = [.. spec.Procedures];
    }

    public string Name { get; private set; } = string.Empty;

    public int Day { get; private set; }

    public int WindowBefore { get; private set; }

    public int WindowAfter { get; private set; }

    public List<string> Procedures { get; private set; } = [];
}

/// <summary>An inclusion or exclusion criterion, answered at enrollment.</summary>
public sealed class EligibilityCriterion : TrialPart
{
    private EligibilityCriterion()
    {
    }

    internal EligibilityCriterion(Guid trialId, int ordinal, CriterionSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Kind = spec.Kind;
        Text = spec.Text;
    }

    public CriterionKind Kind { get; private set; }

    public string Text { get; private set; } = string.Empty;
}

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

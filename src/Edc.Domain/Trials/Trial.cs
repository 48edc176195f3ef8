using Edc.Domain.Common;

namespace Edc.Domain.Trials;

/// <summary>
/// A trial and its protocol definition. The definition is fixed at creation; the arms' names are public,
/// which participant is on which arm is not (that lives with randomization, apart from this).
/// </summary>
public sealed class Trial : ITrialScoped
{
    private readonly List<TrialArm> _arms = [];
    private readonly List<VisitDefinition> _visits = [];
    private readonly List<EligibilityCriterion> _criteria = [];
    private readonly List<StratificationFactor> _factors = [];

    private Trial()
    {
    }

    public Guid Id { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Title { get; private set; } = string.Empty;

    public TrialStatus Status { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset? LockedAt { get; private set; }

    /// <summary>Set by the statistician's final unblinding, after the lock: from then on every role of the trial sees arms.</summary>
    public DateTimeOffset? FinalUnblindedAt { get; private set; }

    public bool IsFinallyUnblinded => FinalUnblindedAt is not null;

    public IReadOnlyList<TrialArm> Arms => _arms;

    public IReadOnlyList<VisitDefinition> Visits => _visits;

    public IReadOnlyList<EligibilityCriterion> EligibilityCriteria => _criteria;

    public IReadOnlyList<StratificationFactor> StratificationFactors => _factors;

    Guid ITrialScoped.TrialId => Id;

    public static Trial Define(TrialDefinition definition, DateTimeOffset now)
    {
        Require(definition.Arms.Count >= 2, RuleCodes.TrialNeedsTwoArms, "A randomized trial needs at least two arms.");
        Require(definition.Visits.Count >= 1, RuleCodes.TrialNeedsVisits, "A trial needs at least one visit definition.");
        RequireUnique(definition.Arms.Select(a => a.Code), "arm");
        RequireUnique(definition.Visits.Select(v => v.Code), "visit");
        RequireUnique(definition.EligibilityCriteria.Select(c => c.Code), "eligibility criterion");
        RequireUnique(definition.StratificationFactors.Select(f => f.Code), "stratification factor");
        Require(definition.Arms.All(a => a.Ratio > 0), RuleCodes.ArmRatioNotPositive, "Every arm's ratio must be a positive whole number.");
        Require(
            definition.Visits.All(v => v.WindowBefore >= 0 && v.WindowAfter >= 0),
            RuleCodes.VisitWindowNegative,
            "Visit windows are counted in days before and after the target day and cannot be negative.");
        Require(
            definition.StratificationFactors.All(f => f.Levels.Count >= 2 && f.Levels.Distinct(StringComparer.Ordinal).Count() == f.Levels.Count),
            RuleCodes.FactorLevelsInvalid,
            "Every stratification factor needs at least two distinct levels.");

        var trial = new Trial
        {
            Id = Guid.NewGuid(),
            Code = definition.Code,
            Title = definition.Title,
            Status = TrialStatus.Active,
            CreatedAt = now,
        };
        trial._arms.AddRange(definition.Arms.Select((a, i) => new TrialArm(trial.Id, i, a)));
        trial._visits.AddRange(definition.Visits.OrderBy(v => v.Day).Select((v, i) => new VisitDefinition(trial.Id, i, v)));
        trial._criteria.AddRange(definition.EligibilityCriteria.Select((c, i) => new EligibilityCriterion(trial.Id, i, c)));
        trial._factors.AddRange(definition.StratificationFactors.Select((f, i) => new StratificationFactor(trial.Id, i, f)));
        return trial;
    }

    public void RequireOpenForData() =>
        Require(Status == TrialStatus.Active, RuleCodes.TrialLocked, "The trial's database is locked; no clinical data may change.");

    /// <summary>The database lock: from now on no clinical data of the trial may change.</summary>
    public void Lock(DateTimeOffset now)
    {
        Require(Status == TrialStatus.Active, RuleCodes.TrialLocked, "The trial is already locked.");
        Status = TrialStatus.Locked;
        LockedAt = now;
    }

    public void FinalUnblind(DateTimeOffset now)
    {
        Require(Status == TrialStatus.Locked, RuleCodes.TrialNotLocked, "Final unblinding is allowed only after the database lock.");
        Require(FinalUnblindedAt is null, RuleCodes.AlreadyUnblinded, "The trial is already unblinded.");
        FinalUnblindedAt = now;
    }

    public Site AddSite(string code, string name, IEnumerable<Site> existingSites)
    {
        Require(Status == TrialStatus.Active, RuleCodes.TrialLocked, "The trial is locked; no site can be added.");
        Require(
            !existingSites.Any(s => string.Equals(s.Code, code, StringComparison.OrdinalIgnoreCase)),
            RuleCodes.SiteCodeTaken,
            $"The trial already has a site with code '{code}'.");
        return new Site(Id, code, name);
    }

    private static void RequireUnique(IEnumerable<string> codes, string what)
    {
        var duplicate = codes.GroupBy(c => c, StringComparer.OrdinalIgnoreCase).FirstOrDefault(g => g.Count() > 1);
        Require(duplicate is null, RuleCodes.DuplicateCode, $"The {what} code '{duplicate?.Key}' is used more than once.");
    }

    private static void Require(bool condition, string rule, string message)
    {
        if (!condition)
        {
            throw new RuleViolationException(rule, message);
        }
    }
}

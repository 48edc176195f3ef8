using Edc.Domain.Common;
using Edc.Domain.Forms;

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
    private readonly List<TrialForm> _forms = [];

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

    /// <summary>The form versions defined with the trial (those added later are loaded on their own).</summary>
    public IReadOnlyList<TrialForm> Forms => _forms;

    /// <summary>How many form versions the trial has: one more with each added, so it names the trial's set of forms.</summary>
    public int FormsRevision { get; private set; }

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

        var forms = definition.Forms ?? [];
        var (_, formProblems) = FormSet.Define(forms, [.. definition.Visits.Select(v => new VisitForms(v.Code, v.Day, v.Forms ?? []))]);
        Require(formProblems.Count == 0, RuleCodes.FormDefinitionInvalid, formProblems.Count == 0 ? "" : $"{formProblems[0].Path}: {formProblems[0].Message}");

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
        trial._forms.AddRange(forms.Select((f, i) => new TrialForm(trial.Id, i, 1, f, now)));
        trial.FormsRevision = forms.Count;
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

    /// <summary>
    /// A form's next version (or, for a new code, its first), checked with the trial's other forms at their newest
    /// versions and the schedule (<see cref="FormSet"/>): a form its new version breaks is a problem too. A form stays a
    /// log form or a visit's form across versions. Data already entered keep their version.
    /// </summary>
    /// <param name="existing">Every version of the trial's forms; the visits must be loaded.</param>
    public (TrialForm? Form, IReadOnlyList<DefinitionProblem> Problems) AddFormVersion(FormSpec spec, IReadOnlyList<TrialForm> existing, DateTimeOffset now)
    {
        RequireOpenForData();
        var latest = existing.OrderBy(f => f.Ordinal).GroupBy(f => f.Code).Select(g => g.Last()).ToList();
        var previous = latest.FirstOrDefault(f => f.Code == spec.Code);
        if (previous is not null && previous.Log != spec.Log)
        {
            return (null, [new("log", previous.Log
                ? $"{spec.Code} is a log form; a new version cannot make it a visit's form."
                : $"{spec.Code} is a visit's form; a new version cannot make it a log form.")]);
        }

        var specs = latest.Select(f => f.Code == spec.Code ? spec : f.Spec()).ToList();
        var index = previous is null ? specs.Count : specs.FindIndex(s => s.Code == spec.Code);
        if (previous is null)
        {
            specs.Add(spec);
        }

        var (_, problems) = FormSet.Define(specs, [.. _visits.Select(v => new VisitForms(v.Code, v.Day, v.Forms))]);
        if (problems.Count > 0)
        {
            var own = $"forms[{index}].";
            return (null, [.. problems.Select(p => p.Path.StartsWith(own, StringComparison.Ordinal)
                ? p with { Path = p.Path[own.Length..] }
                : p with { Path = "items", Message = $"With this version, {Describe(p.Path, specs)}: {p.Message}" })]);
        }

        FormsRevision = Math.Max(FormsRevision, existing.Count) + 1;
        return (new TrialForm(Id, FormsRevision - 1, (previous?.Version ?? 0) + 1, spec, now), []);
    }

    // Names the form or visit a problem of another part of the trial is at, for the new version's author.
    private string Describe(string path, List<FormSpec> specs) =>
        path.StartsWith("forms[", StringComparison.Ordinal) && int.TryParse(path[6..path.IndexOf(']', StringComparison.Ordinal)], out var f)
            ? $"the form {specs[f].Code}"
            : path.StartsWith("visitDefinitions[", StringComparison.Ordinal) && int.TryParse(path[17..path.IndexOf(']', StringComparison.Ordinal)], out var v)
                ? $"the visit {_visits[v].Code}"
                : "the trial";

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

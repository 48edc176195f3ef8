using Edc.Domain.Common;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests;

public sealed class TrialTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 14, 5, 0, TimeSpan.Zero);

    private static TrialDefinition Definition(
        IReadOnlyList<ArmSpec>? arms = null,
        IReadOnlyList<VisitSpec>? visits = null,
        IReadOnlyList<FactorSpec>? factors = null) => new(
        "T1",
        "Trial one",
        arms ?? [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)],
        visits ?? [new VisitSpec("W4", "Week 4", 28, 3, 3, ["Mrss"]), new VisitSpec("D0", "Day 0", 0, 0, 0, ["Infusion"])],
        [new CriterionSpec("INC", CriterionKind.Inclusion, "Adult")],
        factors ?? []);

    [Fact]
    public void Define_WithValidDefinition_KeepsArmsAndOrdersVisitsByDay()
    {
        var trial = Trial.Define(Definition(), Now);

        Assert.Equal(TrialStatus.Active, trial.Status);
        Assert.Equal(Now, trial.CreatedAt);
        Assert.Equal(["A", "P"], trial.Arms.Select(a => a.Code));
        Assert.Equal(["D0", "W4"], trial.Visits.Select(v => v.Code));
        Assert.All(trial.Visits, v => Assert.Equal(trial.Id, v.TrialId));
    }

    [Fact]
    public void Define_WithOneArm_IsARuleViolation()
    {
        var error = Assert.Throws<RuleViolationException>(() => Trial.Define(Definition(arms: [new ArmSpec("A", "Active", 1)]), Now));
        Assert.Equal("TrialNeedsTwoArms", error.Rule);
    }

    [Fact]
    public void Define_WithDuplicateArmCodes_IsARuleViolation()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            Trial.Define(Definition(arms: [new ArmSpec("A", "One", 1), new ArmSpec("a", "Two", 1)]), Now));
        Assert.Equal("DuplicateCode", error.Rule);
    }

    [Fact]
    public void Define_WithZeroRatio_IsARuleViolation()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            Trial.Define(Definition(arms: [new ArmSpec("A", "One", 0), new ArmSpec("B", "Two", 1)]), Now));
        Assert.Equal("ArmRatioNotPositive", error.Rule);
    }

    [Fact]
    public void Define_WithNegativeWindow_IsARuleViolation()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            Trial.Define(Definition(visits: [new VisitSpec("D0", "Day 0", 0, -1, 0, [])]), Now));
        Assert.Equal("VisitWindowNegative", error.Rule);
    }

    [Fact]
    public void Define_WithFactorOfOneLevel_IsARuleViolation()
    {
        var error = Assert.Throws<RuleViolationException>(() =>
            Trial.Define(Definition(factors: [new FactorSpec("SEX", "Sex", ["F"])]), Now));
        Assert.Equal("FactorLevelsInvalid", error.Rule);
    }

    [Fact]
    public void AddSite_WithCodeTakenInAnyCase_IsARuleViolation()
    {
        var trial = Trial.Define(Definition(), Now);
        var first = trial.AddSite("HSS", "Hospital", []);

        var error = Assert.Throws<RuleViolationException>(() => trial.AddSite("hss", "Again", [first]));

        Assert.Equal("SiteCodeTaken", error.Rule);
        Assert.Equal(trial.Id, first.TrialId);
    }
}

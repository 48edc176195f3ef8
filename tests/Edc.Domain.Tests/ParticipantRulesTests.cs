using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests;

public sealed class ParticipantRulesTests
{
    private static readonly DateTimeOffset Now = new(2026, 3, 1, 14, 5, 0, TimeSpan.Zero);
    private static readonly DateOnly Today = DateOnly.FromDateTime(Now.UtcDateTime);

    private static Trial NewTrial() => Trial.Define(
        new TrialDefinition(
            "T1",
            "Trial one",
            [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)],
            [new VisitSpec("D0", "Day 0", 0, 0, 0, [])],
            [new CriterionSpec("ADULT", CriterionKind.Inclusion, "Adult"), new CriterionSpec("PREGNANT", CriterionKind.Exclusion, "Pregnant")],
            [new FactorSpec("SEX", "Sex", ["F", "M"]), new FactorSpec("AGE", "Age group", ["YOUNG", "OLD"])]),
        Now);

    private static readonly Dictionary<string, bool> Eligible = new() { ["ADULT"] = true, ["PREGNANT"] = false };
    private static readonly Dictionary<string, string> Strata = new() { ["AGE"] = "OLD", ["SEX"] = "F" };

    private static Participant NewParticipant(Trial trial) =>
        Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, Now);

    [Fact]
    public void Enroll_WhenEligible_IsEnrolledInTheStratumOfItsLevelsInFactorOrder()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);

        var failed = participant.Enroll(trial, Today, Eligible, Strata, Now);

        Assert.Empty(failed);
        Assert.Equal(ParticipantStatus.Enrolled, participant.Status);
        Assert.Equal("SEX=F|AGE=OLD", participant.StratumKey);
    }

    [Fact]
    public void Enroll_WhenAnExclusionApplies_ScreenFailsAndNamesIt()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);

        var failed = participant.Enroll(trial, Today, new Dictionary<string, bool> { ["ADULT"] = true, ["PREGNANT"] = true }, Strata, Now);

        Assert.Equal(["PREGNANT"], failed);
        Assert.Equal(ParticipantStatus.ScreenFailed, participant.Status);
        Assert.Null(participant.StratumKey);
    }

    [Fact]
    public void Enroll_WithAnUnansweredCriterion_IsARuleViolation()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);

        var error = Assert.Throws<RuleViolationException>(() =>
            participant.Enroll(trial, Today, new Dictionary<string, bool> { ["ADULT"] = true }, Strata, Now));

        Assert.Equal("EligibilityIncomplete", error.Rule);
        Assert.Equal(ParticipantStatus.Screening, participant.Status);
    }

    [Fact]
    public void Enroll_WithALevelNotOfTheFactor_IsARuleViolation()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);

        var error = Assert.Throws<RuleViolationException>(() =>
            participant.Enroll(trial, Today, Eligible, new Dictionary<string, string> { ["SEX"] = "X", ["AGE"] = "OLD" }, Now));

        Assert.Equal("StratumInvalid", error.Rule);
    }

    [Fact]
    public void Randomize_BeforeEnrollment_IsNotEnrolled()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);

        var error = Assert.Throws<RuleViolationException>(() => participant.Randomize(trial, "01-0001", "K100000", Now));

        Assert.Equal("NotEnrolled", error.Rule);
    }

    [Fact]
    public void Randomize_Twice_IsAlreadyRandomized()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);
        participant.Enroll(trial, Today, Eligible, Strata, Now);
        participant.Randomize(trial, "01-0001", "K100000", Now);

        var error = Assert.Throws<RuleViolationException>(() => participant.Randomize(trial, "01-0002", "K100001", Now));

        Assert.Equal("AlreadyRandomized", error.Rule);
        Assert.Equal("01-0001", participant.RandomizationNumber);
    }

    [Fact]
    public void AnyChange_AfterTheLock_IsTrialLocked()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);
        trial.Lock(Now);

        Assert.Equal("TrialLocked", Assert.Throws<RuleViolationException>(() => participant.Enroll(trial, Today, Eligible, Strata, Now)).Rule);
        Assert.Equal("TrialLocked", Assert.Throws<RuleViolationException>(() => participant.Withdraw(trial, Today, "Moved away", Today)).Rule);
    }

    [Fact]
    public void Withdraw_BeforeConsentOrInTheFuture_IsARuleViolation()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);
        participant.Enroll(trial, Today, Eligible, Strata, Now);

        Assert.Equal("WithdrawalBeforeConsent", Assert.Throws<RuleViolationException>(() => participant.Withdraw(trial, Today.AddDays(-1), "x", Today)).Rule);
        Assert.Equal("WithdrawalInFuture", Assert.Throws<RuleViolationException>(() => participant.Withdraw(trial, Today.AddDays(1), "x", Today)).Rule);
        participant.Withdraw(trial, Today, "Moved away", Today);
        Assert.Equal(ParticipantStatus.Withdrawn, participant.Status);
    }

    [Fact]
    public void FinalUnblind_BeforeTheLock_IsTrialNotLocked()
    {
        var trial = NewTrial();

        Assert.Equal("TrialNotLocked", Assert.Throws<RuleViolationException>(() => trial.FinalUnblind(Now)).Rule);
        trial.Lock(Now);
        trial.FinalUnblind(Now);
        Assert.True(trial.IsFinallyUnblinded);
    }

    [Fact]
    public void EmergencyUnblinding_KeepsTheFirstRecord()
    {
        var trial = NewTrial();
        var participant = NewParticipant(trial);
        participant.Enroll(trial, Today, Eligible, Strata, Now);
        Assert.Equal("NotRandomized", Assert.Throws<RuleViolationException>(() => participant.RecordEmergencyUnblinding(Guid.NewGuid(), "x", Now)).Rule);
        participant.Randomize(trial, "01-0001", "K100000", Now);
        var first = Guid.NewGuid();

        participant.RecordEmergencyUnblinding(first, "Anaphylaxis", Now);
        participant.RecordEmergencyUnblinding(Guid.NewGuid(), "Again", Now.AddHours(1));

        Assert.Equal(first, participant.EmergencyUnblindedBy);
        Assert.Equal("Anaphylaxis", participant.EmergencyUnblindingReason);
    }

    [Fact]
    public void WithSiteLevel_WhenTheTrialStratifiesBySite_FillsTheParticipantsSite()
    {
        var trial = Trial.Define(
            new TrialDefinition(
                "T2", "By site", [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)], [new VisitSpec("D0", "Day 0", 0, 0, 0, [])], [],
                [new FactorSpec("SITE", "Site", ["S1", "S2"]), new FactorSpec("SEX", "Sex", ["F", "M"])]),
            Now);

        var levels = Stratum.WithSiteLevel(trial, new Dictionary<string, string> { ["SEX"] = "M" }, "S2");

        Assert.Equal("SITE=S2|SEX=M", Stratum.KeyFor(trial, levels));
        Assert.Equal(
            "SiteStratumMismatch",
            Assert.Throws<RuleViolationException>(() => Stratum.WithSiteLevel(trial, new Dictionary<string, string> { ["SITE"] = "S1" }, "S2")).Rule);
        Assert.Equal(Strata, Stratum.WithSiteLevel(NewTrial(), Strata, "S2"));
    }
}

using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests;

/// <summary>
/// An adverse event's versions and expedited reporting clocks (sponsor 24 h for every SAE; regulators 7 days for a fatal
/// or life-threatening SUSAR, else 15), the report-sent rules, and the death a grade 5 event records.
/// </summary>
public sealed class AdverseEventTests
{
    private static readonly DateTimeOffset Enrolled = new(2026, 3, 1, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 12, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset Aware = new(2026, 3, 6, 9, 0, 0, TimeSpan.Zero);
    private static readonly DateOnly Onset = new(2026, 3, 5);
    private static readonly Guid Recorder = Guid.NewGuid();

    private static readonly AdverseEventReport Mild = new(
        "Headache", Onset, null, true, 1, false, [], Relatedness.NotRelated, true, ActionTaken.DoseNotChanged, AdverseEventOutcome.NotRecovered, Aware);

    private static readonly AdverseEventReport Sae = Mild with { Grade = 3, Serious = true, SeriousnessCriteria = [SeriousnessCriterion.Hospitalization] };

    private static readonly AdverseEventReport Susar = Sae with { Relatedness = Relatedness.Probable, Expected = false };

    private static readonly AdverseEventReport Fatal = Sae with
    {
        Grade = 5,
        SeriousnessCriteria = [SeriousnessCriterion.Death],
        Outcome = AdverseEventOutcome.Fatal,
        Ongoing = false,
        EndDate = Onset.AddDays(3),
    };

    private static Trial NewTrial() => Trial.Define(
        new TrialDefinition(
            "T1", "Trial one", [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)], [new VisitSpec("D0", "Day 0", 0, 0, 0, [])],
            [new CriterionSpec("ADULT", CriterionKind.Inclusion, "Adult")], []),
        Enrolled);

    private static (Trial Trial, Participant Participant) Randomized()
    {
        var trial = NewTrial();
        var participant = Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, Enrolled);
        participant.Enroll(trial, DateOnly.FromDateTime(Enrolled.UtcDateTime), new Dictionary<string, bool> { ["ADULT"] = true }, new Dictionary<string, string>(), Enrolled);
        participant.Randomize(trial, "R001", "K001", Enrolled);
        return (trial, participant);
    }

    private static (Trial Trial, Participant Participant, AdverseEvent Event) Recorded(AdverseEventReport report, DateTimeOffset? at = null)
    {
        var (trial, participant) = Randomized();
        var (adverseEvent, _) = AdverseEvent.Record(trial, participant, report, Recorder, at ?? Now);
        return (trial, participant, adverseEvent);
    }

    // --- Recording and versions

    [Fact]
    public void Record_WhenEnrolled_IsVersionOneWithoutReason()
    {
        var (trial, participant) = Randomized();

        var (adverseEvent, version) = AdverseEvent.Record(trial, participant, Sae, Recorder, Now);

        Assert.Equal(1, adverseEvent.CurrentVersion);
        Assert.Equal(1, version.Number);
        Assert.Null(version.Reason);
        Assert.Equal(Recorder, version.RecordedBy);
        Assert.Equal(Now, version.RecordedAt);
        Assert.Equal(Sae, version.Report);
        Assert.Equal(adverseEvent.Id, version.AdverseEventId);
        Assert.Equal(participant.SiteId, adverseEvent.SiteId);
    }

    [Fact]
    public void Revise_CreatesTheNextVersionWithItsReasonAndKeepsTheFirstWhole()
    {
        var (trial, participant) = Randomized();
        var (adverseEvent, first) = AdverseEvent.Record(trial, participant, Mild, Recorder, Now);
        var reviser = Guid.NewGuid();

        var second = adverseEvent.Revise(trial, participant, Mild with { Grade = 2 }, "Worsened", reviser, Now.AddHours(1));

        Assert.Equal(2, second.Number);
        Assert.Equal(2, adverseEvent.CurrentVersion);
        Assert.Equal("Worsened", second.Reason);
        Assert.Equal(reviser, second.RecordedBy);
        Assert.Equal(2, adverseEvent.Grade);
        Assert.Equal(1, first.Report.Grade);
        Assert.Equal(Now.AddHours(1), adverseEvent.UpdatedAt);
        Assert.Equal(Now, adverseEvent.CreatedAt);
    }

    [Fact]
    public void Record_WhenParticipantOnlyScreened_IsNotEnrolled()
    {
        var trial = NewTrial();
        var participant = Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, Enrolled);

        var error = Assert.Throws<RuleViolationException>(() => AdverseEvent.Record(trial, participant, Mild, Recorder, Now));

        Assert.Equal("NotEnrolled", error.Rule);
    }

    [Fact]
    public void Record_WhenParticipantScreenFailed_IsNotEnrolled()
    {
        var trial = NewTrial();
        var participant = Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, Enrolled);
        participant.Enroll(trial, Onset, new Dictionary<string, bool> { ["ADULT"] = false }, new Dictionary<string, string>(), Enrolled);

        var error = Assert.Throws<RuleViolationException>(() => AdverseEvent.Record(trial, participant, Mild, Recorder, Now));

        Assert.Equal("NotEnrolled", error.Rule);
    }

    [Fact]
    public void Record_WhenEnrolledNotYetRandomized_IsAllowed()
    {
        var trial = NewTrial();
        var participant = Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, Enrolled);
        participant.Enroll(trial, Onset, new Dictionary<string, bool> { ["ADULT"] = true }, new Dictionary<string, string>(), Enrolled);

        var (adverseEvent, _) = AdverseEvent.Record(trial, participant, Mild, Recorder, Now);

        Assert.Equal(1, adverseEvent.CurrentVersion);
    }

    [Fact]
    public void RecordAndRevise_WhenTrialLocked_AreTrialLocked()
    {
        var (trial, participant, adverseEvent) = Recorded(Mild);
        trial.Lock(Now);

        Assert.Equal("TrialLocked", Assert.Throws<RuleViolationException>(() => AdverseEvent.Record(trial, participant, Mild, Recorder, Now)).Rule);
        Assert.Equal("TrialLocked", Assert.Throws<RuleViolationException>(() => adverseEvent.Revise(trial, participant, Sae, "Upgrade", Recorder, Now)).Rule);
        Assert.Equal(1, adverseEvent.CurrentVersion);
        Assert.False(adverseEvent.Serious);
    }

    // --- Clocks

    [Fact]
    public void Record_WhenNotSerious_HasNoClocks()
    {
        var (_, _, adverseEvent) = Recorded(Mild with { Relatedness = Relatedness.Definite, Expected = false });

        Assert.Null(adverseEvent.SponsorClock);
        Assert.Null(adverseEvent.RegulatorClock);
        Assert.False(adverseEvent.Susar);
    }

    [Fact]
    public void Record_WhenSerious_DueToTheSponsor24HoursAfterAwareness()
    {
        var (_, _, adverseEvent) = Recorded(Sae);

        var clock = Assert.IsType<ReportingClock>(adverseEvent.SponsorClock);
        Assert.Equal(ReportRecipient.Sponsor, clock.Recipient);
        Assert.Equal(Aware, clock.StartedAt);
        Assert.Equal(Aware.AddHours(24), clock.DueAt);
        Assert.Null(clock.SentAt);
        Assert.Null(adverseEvent.RegulatorClock);
    }

    [Fact]
    public void Record_WhenSusarNeitherFatalNorLifeThreatening_DueToRegulatorsIn15Days()
    {
        var (_, _, adverseEvent) = Recorded(Susar);

        Assert.True(adverseEvent.Susar);
        var clock = Assert.IsType<ReportingClock>(adverseEvent.RegulatorClock);
        Assert.Equal(ReportRecipient.Regulator, clock.Recipient);
        Assert.Equal(Aware, clock.StartedAt);
        Assert.Equal(Aware.AddDays(15), clock.DueAt);
        Assert.Equal(Aware.AddHours(24), adverseEvent.SponsorClock!.DueAt);
    }

    [Fact]
    public void Record_WhenLifeThreateningSusar_DueToRegulatorsIn7Days()
    {
        var (_, _, adverseEvent) = Recorded(Susar with { Grade = 4, SeriousnessCriteria = [SeriousnessCriterion.LifeThreatening, SeriousnessCriterion.Hospitalization] });

        Assert.Equal(Aware.AddDays(7), adverseEvent.RegulatorClock!.DueAt);
    }

    [Fact]
    public void Record_WhenFatalSusar_DueToRegulatorsIn7Days()
    {
        var (_, _, adverseEvent) = Recorded(Fatal with { Relatedness = Relatedness.Possible, Expected = null });

        Assert.Equal(Aware.AddDays(7), adverseEvent.RegulatorClock!.DueAt);
    }

    [Fact]
    public void Record_WhenSeriousRelatedButExpected_HasOnlyTheSponsorClock()
    {
        var (_, _, adverseEvent) = Recorded(Susar with { Expected = true });

        Assert.False(adverseEvent.Susar);
        Assert.NotNull(adverseEvent.SponsorClock);
        Assert.Null(adverseEvent.RegulatorClock);
    }

    [Fact]
    public void Revise_WhenUpgradedToSerious_StartsTheSponsorClockAtTheNewAwareness()
    {
        var (trial, participant, adverseEvent) = Recorded(Mild);
        var learned = Now.AddHours(2);

        adverseEvent.Revise(trial, participant, Sae with { AwareAt = learned }, "Hospitalized", Recorder, Now.AddHours(3));

        Assert.Equal(learned, adverseEvent.SponsorClock!.StartedAt);
        Assert.Equal(learned.AddHours(24), adverseEvent.SponsorClock.DueAt);
    }

    [Fact]
    public void AwarenessWhenNotGiven_IsEntryTimeForNewOrNewlySeriousEvents_ElseTheRecordedAwareness()
    {
        var (_, _, nonSerious) = Recorded(Mild);
        var (_, _, serious) = Recorded(Sae);
        var later = Now.AddDays(1);

        Assert.Equal(later, nonSerious.AwarenessWhenNotGiven(serious: true, later));
        Assert.Equal(Aware, nonSerious.AwarenessWhenNotGiven(serious: false, later));
        Assert.Equal(Aware, serious.AwarenessWhenNotGiven(serious: true, later));
        Assert.Equal(Aware, serious.AwarenessWhenNotGiven(serious: false, later));
    }

    [Fact]
    public void Revise_WhenSaeBecomesSusar_StartsTheRegulatorClockWhenThatVersionIsEntered()
    {
        var (trial, participant, adverseEvent) = Recorded(Sae);
        var entered = Now.AddDays(2);

        adverseEvent.Revise(trial, participant, Susar, "Causality reassessed", Recorder, entered);

        Assert.Equal(entered, adverseEvent.RegulatorClock!.StartedAt);
        Assert.Equal(entered.AddDays(15), adverseEvent.RegulatorClock.DueAt);
        Assert.Equal(Aware.AddHours(24), adverseEvent.SponsorClock!.DueAt);
    }

    [Fact]
    public void Revise_WhenNonSeriousBecomesSusarAtOnce_StartsTheRegulatorClockAtTheAwareness()
    {
        var (trial, participant, adverseEvent) = Recorded(Mild);
        var learned = Now.AddHours(1);

        adverseEvent.Revise(trial, participant, Susar with { AwareAt = learned }, "Now serious and related", Recorder, Now.AddDays(1));

        Assert.Equal(learned, adverseEvent.RegulatorClock!.StartedAt);
        Assert.Equal(learned.AddDays(15), adverseEvent.RegulatorClock.DueAt);
    }

    [Fact]
    public void Revise_WhenSusarBecomesLifeThreatening_ShortensTheDeadlineFromTheSameStart()
    {
        var (trial, participant, adverseEvent) = Recorded(Susar);

        adverseEvent.Revise(trial, participant, Susar with { Grade = 4, SeriousnessCriteria = [SeriousnessCriterion.LifeThreatening] }, "Worse", Recorder, Now.AddDays(3));

        Assert.Equal(Aware, adverseEvent.RegulatorClock!.StartedAt);
        Assert.Equal(Aware.AddDays(7), adverseEvent.RegulatorClock.DueAt);
    }

    [Fact]
    public void Revise_WhenStillSusar_KeepsTheRegulatorClockRunningFromItsStart()
    {
        var (trial, participant, adverseEvent) = Recorded(Sae);
        adverseEvent.Revise(trial, participant, Susar, "Related", Recorder, Now.AddDays(1));

        adverseEvent.Revise(trial, participant, Susar with { Term = "Pneumonitis" }, "Term corrected", Recorder, Now.AddDays(2));

        Assert.Equal(Now.AddDays(1), adverseEvent.RegulatorClock!.StartedAt);
    }

    [Fact]
    public void Revise_WhenDowngradedToNonSerious_ClearsUnsentClocks()
    {
        var (trial, participant, adverseEvent) = Recorded(Susar);

        adverseEvent.Revise(trial, participant, Mild, "Not serious after all", Recorder, Now.AddHours(1));

        Assert.Null(adverseEvent.SponsorClock);
        Assert.Null(adverseEvent.RegulatorClock);
        Assert.False(adverseEvent.Susar);
    }

    [Fact]
    public void Revise_WhenNoLongerSusar_ClearsOnlyTheRegulatorClock()
    {
        var (trial, participant, adverseEvent) = Recorded(Susar);

        adverseEvent.Revise(trial, participant, Susar with { Expected = true }, "Listed in the investigator's brochure", Recorder, Now.AddHours(1));

        Assert.Null(adverseEvent.RegulatorClock);
        Assert.Equal(Aware.AddHours(24), adverseEvent.SponsorClock!.DueAt);
    }

    [Fact]
    public void Revise_WhenDowngradedAfterReportsWereSent_KeepsTheSentReportsWithTheirDeadlines()
    {
        var (trial, participant, adverseEvent) = Recorded(Susar);
        adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Aware.AddHours(30), Now);
        adverseEvent.RecordReportSent(ReportRecipient.Regulator, Aware.AddDays(2), Now);

        adverseEvent.Revise(trial, participant, Mild, "Not serious after all", Recorder, Now.AddHours(1));

        var sponsor = Assert.IsType<ReportingClock>(adverseEvent.SponsorClock);
        Assert.Equal(Aware.AddHours(24), sponsor.DueAt);
        Assert.Equal(Aware.AddHours(30), sponsor.SentAt);
        Assert.Equal(ReportTimeliness.Late, sponsor.TimelinessAt(Now));
        var regulator = Assert.IsType<ReportingClock>(adverseEvent.RegulatorClock);
        Assert.Equal(Aware.AddDays(15), regulator.DueAt);
        Assert.Equal(ReportTimeliness.OnTime, regulator.TimelinessAt(Now));
    }

    [Fact]
    public void Revise_WhenSentSusarIsDowngradedAndUpgradedAgain_KeepsTheReportAlreadySent()
    {
        var (trial, participant, adverseEvent) = Recorded(Susar);
        adverseEvent.RecordReportSent(ReportRecipient.Regulator, Aware.AddDays(2), Now);
        adverseEvent.Revise(trial, participant, Susar with { Expected = true }, "Expected", Recorder, Now.AddHours(1));

        adverseEvent.Revise(trial, participant, Susar, "Not expected after all", Recorder, Now.AddHours(2));

        Assert.Equal(Aware, adverseEvent.RegulatorClock!.StartedAt);
        Assert.Equal(Aware.AddDays(2), adverseEvent.RegulatorClock.SentAt);
        Assert.Equal("ReportAlreadyRecorded", Assert.Throws<RuleViolationException>(() =>
            adverseEvent.RecordReportSent(ReportRecipient.Regulator, Now, Now.AddHours(3))).Rule);
    }

    [Fact]
    public void Revise_WhenAwarenessCorrected_MovesTheSponsorDeadline()
    {
        var (trial, participant, adverseEvent) = Recorded(Sae);
        var corrected = Aware.AddHours(-5);

        adverseEvent.Revise(trial, participant, Sae with { AwareAt = corrected }, "Awareness corrected", Recorder, Now.AddHours(1));

        Assert.Equal(corrected.AddHours(24), adverseEvent.SponsorClock!.DueAt);
    }

    // --- Timeliness

    [Fact]
    public void TimelinessAt_WhenUnsentUpToTheDueInstant_IsDue()
    {
        var clock = new ReportingClock(ReportRecipient.Sponsor, Aware, Aware.AddHours(24), null);

        Assert.Equal(ReportTimeliness.Due, clock.TimelinessAt(Aware));
        Assert.Equal(ReportTimeliness.Due, clock.TimelinessAt(clock.DueAt));
        Assert.Equal(ReportTimeliness.Overdue, clock.TimelinessAt(clock.DueAt.AddTicks(1)));
    }

    [Fact]
    public void TimelinessAt_WhenSentExactlyAtDue_IsOnTime()
    {
        var due = Aware.AddHours(24);

        Assert.Equal(ReportTimeliness.OnTime, new ReportingClock(ReportRecipient.Sponsor, Aware, due, due).TimelinessAt(due.AddDays(30)));
        Assert.Equal(ReportTimeliness.OnTime, new ReportingClock(ReportRecipient.Sponsor, Aware, due, Aware).TimelinessAt(due.AddDays(30)));
        Assert.Equal(ReportTimeliness.Late, new ReportingClock(ReportRecipient.Sponsor, Aware, due, due.AddTicks(1)).TimelinessAt(due));
    }

    [Fact]
    public void Deadlines_Are24Hours7DaysAnd15Days()
    {
        Assert.Equal(TimeSpan.FromHours(24), ReportingClock.SponsorDeadline);
        Assert.Equal(TimeSpan.FromDays(7), ReportingClock.FatalOrLifeThreateningSusarDeadline);
        Assert.Equal(TimeSpan.FromDays(15), ReportingClock.OtherSusarDeadline);
    }

    // --- Reports sent

    [Fact]
    public void RecordReportSent_WhenSponsorReportOfSae_SetsItsSentTime()
    {
        var (_, _, adverseEvent) = Recorded(Sae);

        adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Aware.AddHours(3), Now);

        Assert.Equal(Aware.AddHours(3), adverseEvent.SponsorClock!.SentAt);
        Assert.Equal(ReportTimeliness.OnTime, adverseEvent.SponsorClock.TimelinessAt(Now));
        Assert.Equal(Now, adverseEvent.UpdatedAt);
    }

    [Fact]
    public void RecordReportSent_WhenNotSerious_IsNoReportDue()
    {
        var (_, _, adverseEvent) = Recorded(Mild);

        var error = Assert.Throws<RuleViolationException>(() => adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Now, Now));

        Assert.Equal("NoReportDue", error.Rule);
    }

    [Fact]
    public void RecordReportSent_ToRegulatorsWhenNotSusar_IsNoReportDue()
    {
        var (_, _, adverseEvent) = Recorded(Sae);

        var error = Assert.Throws<RuleViolationException>(() => adverseEvent.RecordReportSent(ReportRecipient.Regulator, Now, Now));

        Assert.Equal("NoReportDue", error.Rule);
        Assert.Null(adverseEvent.RegulatorClock);
    }

    [Fact]
    public void RecordReportSent_Twice_IsReportAlreadyRecordedAndKeepsTheFirst()
    {
        var (_, _, adverseEvent) = Recorded(Susar);
        adverseEvent.RecordReportSent(ReportRecipient.Regulator, Aware.AddDays(1), Now);

        var error = Assert.Throws<RuleViolationException>(() => adverseEvent.RecordReportSent(ReportRecipient.Regulator, Aware.AddDays(2), Now));

        Assert.Equal("ReportAlreadyRecorded", error.Rule);
        Assert.Equal(Aware.AddDays(1), adverseEvent.RegulatorClock!.SentAt);
        Assert.Null(adverseEvent.SponsorClock!.SentAt);
    }

    [Fact]
    public void RecordReportSent_InTheFuture_IsReportSentInFuture()
    {
        var (_, _, adverseEvent) = Recorded(Sae);

        var error = Assert.Throws<RuleViolationException>(() => adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Now.AddTicks(1), Now));

        Assert.Equal("ReportSentInFuture", error.Rule);
        Assert.Null(adverseEvent.SponsorClock!.SentAt);
    }

    [Fact]
    public void RecordReportSent_BeforeAwareness_IsReportSentBeforeAwareness()
    {
        var (_, _, adverseEvent) = Recorded(Sae);

        var error = Assert.Throws<RuleViolationException>(() => adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Aware.AddTicks(-1), Now));

        Assert.Equal("ReportSentBeforeAwareness", error.Rule);
    }

    [Fact]
    public void RecordReportSent_AtAwarenessOrNow_IsAllowed()
    {
        var (_, _, adverseEvent) = Recorded(Susar);

        adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Aware, Now);
        adverseEvent.RecordReportSent(ReportRecipient.Regulator, Now, Now);

        Assert.Equal(Aware, adverseEvent.SponsorClock!.SentAt);
        Assert.Equal(Now, adverseEvent.RegulatorClock!.SentAt);
    }

    [Fact]
    public void RecordReportSent_WhenTrialLocked_IsStillAllowed()
    {
        var (trial, _, adverseEvent) = Recorded(Sae);
        trial.Lock(Now);

        adverseEvent.RecordReportSent(ReportRecipient.Sponsor, Now, Now);

        Assert.Equal(Now, adverseEvent.SponsorClock!.SentAt);
    }

    // --- Death

    [Fact]
    public void Record_WhenGrade5_RecordsTheDeathOnTheEndDate()
    {
        var (_, participant, adverseEvent) = Recorded(Fatal);

        Assert.Equal(ParticipantStatus.Deceased, participant.Status);
        Assert.Equal(Fatal.EndDate, participant.DiedOn);
        Assert.Equal(adverseEvent.Id, participant.DeathAdverseEventId);
        Assert.Equal(ParticipantStatus.Randomized, participant.StatusBeforeDeath);
    }

    [Fact]
    public void Record_WhenSecondFatalEvent_IsDeathAlreadyRecorded()
    {
        var (trial, participant, first) = Recorded(Fatal);

        var error = Assert.Throws<RuleViolationException>(() => AdverseEvent.Record(trial, participant, Fatal with { Term = "Stroke" }, Recorder, Now));

        Assert.Equal("DeathAlreadyRecorded", error.Rule);
        Assert.Equal(first.Id, participant.DeathAdverseEventId);
    }

    [Fact]
    public void Revise_WhenAnotherEventOfADeceasedParticipantBecomesFatal_IsDeathAlreadyRecordedAndChangesNothing()
    {
        var (trial, participant, _) = Recorded(Fatal);
        var (other, _) = AdverseEvent.Record(trial, participant, Mild, Recorder, Now);

        var error = Assert.Throws<RuleViolationException>(() => other.Revise(trial, participant, Fatal, "Fatal", Recorder, Now));

        Assert.Equal("DeathAlreadyRecorded", error.Rule);
        Assert.Equal(1, other.CurrentVersion);
        Assert.Equal(1, other.Grade);
    }

    [Fact]
    public void Revise_WhenFatalEventStaysFatal_UpdatesTheDateOfDeath()
    {
        var (trial, participant, adverseEvent) = Recorded(Fatal);

        adverseEvent.Revise(trial, participant, Fatal with { EndDate = Onset.AddDays(1) }, "Date of death corrected", Recorder, Now);

        Assert.Equal(ParticipantStatus.Deceased, participant.Status);
        Assert.Equal(Onset.AddDays(1), participant.DiedOn);
        Assert.Equal(ParticipantStatus.Randomized, participant.StatusBeforeDeath);
    }

    [Fact]
    public void Revise_WhenFatalEventCorrectedToGrade3_RestoresTheStatusBeforeDeath()
    {
        var (trial, participant, adverseEvent) = Recorded(Fatal);

        adverseEvent.Revise(trial, participant, Sae, "Entered as fatal in error", Recorder, Now);

        Assert.Equal(ParticipantStatus.Randomized, participant.Status);
        Assert.Null(participant.DiedOn);
        Assert.Null(participant.DeathAdverseEventId);
        Assert.Null(participant.StatusBeforeDeath);
    }

    [Fact]
    public void Revise_WhenWithdrawnParticipantsFatalEventCorrected_RestoresWithdrawn()
    {
        var (trial, participant) = Randomized();
        participant.Withdraw(trial, Onset, "Moved", Onset);
        var (adverseEvent, _) = AdverseEvent.Record(trial, participant, Fatal, Recorder, Now);
        Assert.Equal(ParticipantStatus.Deceased, participant.Status);

        adverseEvent.Revise(trial, participant, Sae, "Not fatal", Recorder, Now);

        Assert.Equal(ParticipantStatus.Withdrawn, participant.Status);
    }

    [Fact]
    public void RevokeDeath_ByAnotherEvent_ChangesNothing()
    {
        var (_, participant, adverseEvent) = Recorded(Fatal);

        participant.RevokeDeath(Guid.NewGuid());

        Assert.Equal(ParticipantStatus.Deceased, participant.Status);
        Assert.Equal(adverseEvent.Id, participant.DeathAdverseEventId);
    }

    [Fact]
    public void Record_WhenNonFatalEventOfADeceasedParticipant_LeavesTheDeathAsRecorded()
    {
        var (trial, participant, fatal) = Recorded(Fatal);

        var (other, _) = AdverseEvent.Record(trial, participant, Sae with { Term = "Fall" }, Recorder, Now);
        other.Revise(trial, participant, Sae with { Term = "Fall", Grade = 4 }, "Worse", Recorder, Now);

        Assert.Equal(ParticipantStatus.Deceased, participant.Status);
        Assert.Equal(fatal.Id, participant.DeathAdverseEventId);
    }
}

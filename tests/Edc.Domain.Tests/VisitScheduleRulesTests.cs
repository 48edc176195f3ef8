using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;

namespace Edc.Domain.Tests;

/// <summary>
/// The schedule laid out at randomization: target = Day 0 + day in calendar days, window = target - before .. target
/// + after, both ends inclusive; leap days, month ends and year ends are ordinary days.
/// </summary>
public sealed class VisitScheduleRulesTests
{
    private static readonly DateOnly FarFuture = new(2100, 1, 1);

    private static readonly VisitSpec Week4 = new("W4", "Week 4", 28, 3, 3, ["Mrss"]);

    private static (Participant Participant, IReadOnlyList<ScheduledVisit> Visits) Randomized(DateOnly dayZero, params VisitSpec[] visits)
    {
        var (_, participant, scheduled) = RandomizedInTrial(dayZero, visits);
        return (participant, scheduled);
    }

    private static (Trial Trial, Participant Participant, IReadOnlyList<ScheduledVisit> Visits) RandomizedInTrial(DateOnly dayZero, params VisitSpec[] visits)
    {
        var now = new DateTimeOffset(dayZero.ToDateTime(new TimeOnly(9, 30)), TimeSpan.Zero);
        var trial = Trial.Define(
            new TrialDefinition("T1", "Trial one", [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)], visits, [], []), now);
        var participant = Participant.Register(trial, trial.AddSite("S1", "Site", []), "S1-001", "F", 1970, now);
        participant.Enroll(trial, dayZero, new Dictionary<string, bool>(), new Dictionary<string, string>(), now);
        participant.Randomize(trial, "R001", "K001", now);
        return (trial, participant, ScheduledVisit.ScheduleFor(participant, trial.Visits, dayZero));
    }

    private static ScheduledVisit Visit(IReadOnlyList<ScheduledVisit> visits, string code) => visits.Single(v => v.Code == code);

    [Fact]
    public void Complete_TheLastVisitOfTheSchedule_CompletesTheParticipantOnItsDate()
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 2), new VisitSpec("D0", "Day 0", 0, 0, 0, []), Week4);

        Visit(visits, "D0").Complete(participant, new DateOnly(2026, 3, 2), FarFuture);
        Assert.Equal(ParticipantStatus.Randomized, participant.Status);
        Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 30), FarFuture, lastOfSchedule: true);

        Assert.Equal(ParticipantStatus.Completed, participant.Status);
        Assert.Equal(new DateOnly(2026, 3, 30), participant.CompletedOn);
    }

    [Fact]
    public void RecordingTheLastVisitAgain_MovesOrWithdrawsTheCompletionItMade()
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 2), Week4);
        var w4 = Visit(visits, "W4");
        w4.Complete(participant, new DateOnly(2026, 3, 30), FarFuture, lastOfSchedule: true);

        w4.Complete(participant, new DateOnly(2026, 3, 31), FarFuture, lastOfSchedule: true);
        Assert.Equal(new DateOnly(2026, 3, 31), participant.CompletedOn);

        w4.Miss(participant, "Did not come", lastOfSchedule: true);
        Assert.Equal(ParticipantStatus.Randomized, participant.Status);
        Assert.Null(participant.CompletedOn);
    }

    [Fact]
    public void Versions_CountOnePerStateOfEachRecord_AndARefusedChangeCountsNone()
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 2), new VisitSpec("D0", "Day 0", 0, 0, 0, ["Mrss", "Infusion"]), Week4);
        var d0 = Visit(visits, "D0");
        var scores = MrssAssessment.Areas.ToDictionary(a => a, _ => 1);
        var now = new DateTimeOffset(2026, 3, 2, 12, 0, 0, TimeSpan.Zero);

        Assert.All(visits, v => Assert.Equal(1, v.Version));
        d0.Complete(participant, new DateOnly(2026, 3, 2), FarFuture);
        Assert.Equal(2, d0.Version);
        Assert.Throws<RuleViolationException>(() => d0.Complete(participant, new DateOnly(2026, 3, 1), FarFuture));
        Assert.Equal(2, d0.Version);
        d0.Miss(participant, "Did not come");
        Assert.Equal(3, d0.Version);

        var mrss = MrssAssessment.Record(d0, new DateOnly(2026, 3, 2), "Dr A", scores);
        Assert.Equal(1, mrss.Version);
        mrss.Update(new DateOnly(2026, 3, 2), "Dr B", scores);
        Assert.Equal(2, mrss.Version);

        var infusion = InfusionRecord.For(d0);
        Assert.Equal(0, infusion.Version);
        Assert.Throws<RuleViolationException>(() => infusion.Administer(participant, d0, now, "not the kit", now));
        Assert.Equal(0, infusion.Version);
        infusion.NotAdministered(participant, d0, "Postponed");
        Assert.Equal(1, infusion.Version);
    }

    [Fact]
    public void Complete_AfterAWithdrawal_AcceptsOnlyDatesUpToTheWithdrawalDay()
    {
        var (trial, participant, visits) = RandomizedInTrial(new DateOnly(2026, 3, 2), Week4);
        var w4 = Visit(visits, "W4");
        participant.Withdraw(trial, new DateOnly(2026, 3, 31), "Moved away", FarFuture);

        // Entered after the withdrawal was recorded, but it happened before: kept.
        Assert.False(w4.Complete(participant, new DateOnly(2026, 3, 30), FarFuture));
        Assert.False(w4.Complete(participant, new DateOnly(2026, 3, 31), FarFuture));
        var after = Assert.Throws<RuleViolationException>(() => w4.Complete(participant, new DateOnly(2026, 4, 1), FarFuture));
        Assert.Equal("ParticipantNotActive", after.Rule);
        Assert.Equal(new DateOnly(2026, 3, 31), w4.ActualDate);

        // Its window (27 March to 2 April) was still open on the withdrawal day: it cannot be declared missed.
        Assert.Equal("ParticipantNotActive", Assert.Throws<RuleViolationException>(() => w4.Miss(participant, "Lost")).Rule);
    }

    [Fact]
    public void Complete_AfterTheParticipantCompleted_AcceptsOnlyDatesUpToTheCompletionDay()
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 2), Week4, new VisitSpec("W8", "Week 8", 56, 3, 3, ["Mrss"]));
        participant.CompleteTrial(new DateOnly(2026, 4, 27));

        Assert.False(Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 30), FarFuture));
        Assert.True(Visit(visits, "W4").Complete(participant, new DateOnly(2026, 4, 27), FarFuture));
        Assert.Equal("ParticipantNotActive", Assert.Throws<RuleViolationException>(() => Visit(visits, "W4").Complete(participant, new DateOnly(2026, 4, 28), FarFuture)).Rule);

        participant.ReopenCompletion();
        Assert.Equal(ParticipantStatus.Randomized, participant.Status);
        Assert.Null(participant.CompletedOn);
        Assert.Equal("WrongParticipantStatus", Assert.Throws<RuleViolationException>(participant.ReopenCompletion).Rule);
    }

    [Fact]
    public void Complete_AfterAWithdrawalAndALaterDeath_IsBoundedByTheWithdrawalDay()
    {
        var (trial, participant, visits) = RandomizedInTrial(new DateOnly(2026, 3, 2), Week4);
        participant.Withdraw(trial, new DateOnly(2026, 3, 30), "Moved away", FarFuture);
        participant.RecordDeath(Guid.NewGuid(), new DateOnly(2026, 5, 10));

        Assert.Equal(new DateOnly(2026, 3, 30), participant.LeftStudyOn);
        Assert.False(Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 30), FarFuture));
        Assert.Equal("ParticipantNotActive", Assert.Throws<RuleViolationException>(() => Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 31), FarFuture)).Rule);
    }

    [Fact]
    public void Complete_AfterCompletionAndALaterDeath_IsBoundedByTheCompletionDay()
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 2), Week4);
        participant.CompleteTrial(new DateOnly(2026, 3, 30));
        participant.RecordDeath(Guid.NewGuid(), new DateOnly(2026, 5, 10));

        Assert.False(Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 30), FarFuture));
        Assert.Equal("ParticipantNotActive", Assert.Throws<RuleViolationException>(() => Visit(visits, "W4").Complete(participant, new DateOnly(2026, 3, 31), FarFuture)).Rule);
    }

    [Fact]
    public void ScheduleFor_WithAWindow_TargetsDayZeroPlusDayAndOpensAndClosesAroundIt()
    {
        var (_, visits) = Randomized(new DateOnly(2026, 3, 1), new VisitSpec("D0", "Day 0", 0, 0, 0, []), Week4);

        var w4 = Visit(visits, "W4");
        Assert.Equal(new DateOnly(2026, 3, 29), w4.TargetDate);
        Assert.Equal(new DateOnly(2026, 3, 26), w4.WindowStart);
        Assert.Equal(new DateOnly(2026, 4, 1), w4.WindowEnd);
        Assert.Equal(VisitStatus.Scheduled, w4.Status);
        var d0 = Visit(visits, "D0");
        Assert.Equal((d0.TargetDate, d0.TargetDate), (d0.WindowStart, d0.WindowEnd));
    }

    [Theory]
    [InlineData("2026-03-26", false)] // window start
    [InlineData("2026-04-01", false)] // window end
    [InlineData("2026-03-29", false)] // target
    [InlineData("2026-03-25", true)] // a day before the window opens
    [InlineData("2026-04-02", true)] // a day after it closes
    public void Complete_AtAndAroundTheWindowEdges_FlagsOnlyDatesOutsideIt(string actual, bool outOfWindow)
    {
        var (participant, visits) = Randomized(new DateOnly(2026, 3, 1), Week4);
        var w4 = Visit(visits, "W4");

        var flagged = w4.Complete(participant, DateOnly.Parse(actual, System.Globalization.CultureInfo.InvariantCulture), FarFuture);

        Assert.Equal(outOfWindow, flagged);
        Assert.Equal(outOfWindow, w4.OutOfWindow);
        Assert.Equal(VisitStatus.Completed, w4.Status);
    }

    [Fact]
    public void ScheduleFor_WhenDayZeroIsALeapDay_CountsCalendarDaysAcrossMarchAndTheNextFebruary()
    {
        var (_, visits) = Randomized(
            new DateOnly(2028, 2, 29),
            new VisitSpec("D0", "Day 0", 0, 0, 0, []),
            new VisitSpec("D1", "Day 1", 1, 0, 1, []),
            Week4,
            new VisitSpec("Y1", "Year 1", 365, 7, 7, []));

        Assert.Equal(new DateOnly(2028, 2, 29), Visit(visits, "D0").TargetDate);
        Assert.Equal(new DateOnly(2028, 3, 1), Visit(visits, "D1").TargetDate);
        Assert.Equal(new DateOnly(2028, 3, 2), Visit(visits, "D1").WindowEnd);
        Assert.Equal(new DateOnly(2028, 3, 28), Visit(visits, "W4").TargetDate);
        Assert.Equal(new DateOnly(2028, 3, 25), Visit(visits, "W4").WindowStart);
        Assert.Equal(new DateOnly(2028, 3, 31), Visit(visits, "W4").WindowEnd);

        // 2029 has no 29 February: a year of 365 days after it lands on the 28th.
        var year1 = Visit(visits, "Y1");
        Assert.Equal(new DateOnly(2029, 2, 28), year1.TargetDate);
        Assert.Equal(new DateOnly(2029, 2, 21), year1.WindowStart);
        Assert.Equal(new DateOnly(2029, 3, 7), year1.WindowEnd);
    }

    [Fact]
    public void ScheduleFor_WhenDayZeroIsTheLastOfJanuary_RollsIntoFebruaryAndMarchOf2027()
    {
        var (_, visits) = Randomized(
            new DateOnly(2027, 1, 31),
            new VisitSpec("D1", "Day 1", 1, 0, 0, []),
            Week4,
            new VisitSpec("D29", "Day 29", 29, 0, 0, []));

        Assert.Equal(new DateOnly(2027, 2, 1), Visit(visits, "D1").TargetDate);
        var w4 = Visit(visits, "W4");
        Assert.Equal(new DateOnly(2027, 2, 28), w4.TargetDate);
        Assert.Equal(new DateOnly(2027, 2, 25), w4.WindowStart);
        Assert.Equal(new DateOnly(2027, 3, 3), w4.WindowEnd);
        Assert.Equal(new DateOnly(2027, 3, 1), Visit(visits, "D29").TargetDate);
    }

    [Fact]
    public void ScheduleFor_WhenDayZeroIsNewYearsEve_WindowSpansTheYearEnd()
    {
        var (participant, visits) = Randomized(
            new DateOnly(2026, 12, 31),
            new VisitSpec("D0", "Day 0", 0, 0, 0, []),
            new VisitSpec("D1", "Day 1", 1, 3, 3, []),
            Week4);

        var d1 = Visit(visits, "D1");
        Assert.Equal(new DateOnly(2027, 1, 1), d1.TargetDate);
        Assert.Equal(new DateOnly(2026, 12, 29), d1.WindowStart);
        Assert.Equal(new DateOnly(2027, 1, 4), d1.WindowEnd);
        Assert.Equal(new DateOnly(2027, 1, 28), Visit(visits, "W4").TargetDate);

        // Day 0 itself (31 December) is inside D1's window; 5 January is a day past it.
        Assert.False(d1.Complete(participant, new DateOnly(2026, 12, 31), FarFuture));
        Assert.False(d1.Complete(participant, new DateOnly(2027, 1, 4), FarFuture));
        Assert.True(d1.Complete(participant, new DateOnly(2027, 1, 5), FarFuture));
    }

    [Fact]
    public void Complete_InAWindowAcrossTheEndOfFebruaryOfALeapYear_CountsThe29th()
    {
        // 2028-02-01 + 28 days = 29 February 2028; the window runs 26 February to 3 March.
        var (participant, visits) = Randomized(new DateOnly(2028, 2, 1), Week4);
        var w4 = Visit(visits, "W4");

        Assert.Equal(new DateOnly(2028, 2, 29), w4.TargetDate);
        Assert.Equal(new DateOnly(2028, 2, 26), w4.WindowStart);
        Assert.Equal(new DateOnly(2028, 3, 3), w4.WindowEnd);
        Assert.False(w4.Complete(participant, new DateOnly(2028, 2, 29), FarFuture));
        Assert.False(w4.Complete(participant, new DateOnly(2028, 3, 3), FarFuture));
        Assert.True(w4.Complete(participant, new DateOnly(2028, 3, 4), FarFuture));
        Assert.True(w4.Complete(participant, new DateOnly(2028, 2, 25), FarFuture));
    }

    [Fact]
    public void Complete_InAWindowAcrossTheEndOfFebruaryOf2027_HasNo29thAndEndsADayLater()
    {
        // 2027-02-01 + 28 days = 1 March 2027; the window runs 26 February to 4 March.
        var (participant, visits) = Randomized(new DateOnly(2027, 2, 1), Week4);
        var w4 = Visit(visits, "W4");

        Assert.Equal(new DateOnly(2027, 3, 1), w4.TargetDate);
        Assert.Equal(new DateOnly(2027, 2, 26), w4.WindowStart);
        Assert.Equal(new DateOnly(2027, 3, 4), w4.WindowEnd);
        Assert.False(w4.Complete(participant, new DateOnly(2027, 2, 26), FarFuture));
        Assert.False(w4.Complete(participant, new DateOnly(2027, 2, 28), FarFuture));
        Assert.False(w4.Complete(participant, new DateOnly(2027, 3, 4), FarFuture));
        Assert.True(w4.Complete(participant, new DateOnly(2027, 3, 5), FarFuture));
        Assert.True(w4.Complete(participant, new DateOnly(2027, 2, 25), FarFuture));
    }
}

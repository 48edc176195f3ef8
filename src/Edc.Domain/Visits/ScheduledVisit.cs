using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Trials;

namespace Edc.Domain.Visits;

/// <summary>
/// One visit of a participant's schedule, made at randomization from the trial's visit definitions (Day 0 is the
/// randomization date), or an unscheduled visit added later. Nothing about it depends on the arm.
/// </summary>
public sealed class ScheduledVisit : VersionedRecord, ITrialScoped, ISiteScoped
{
    public const string UnscheduledPrefix = "UNS";

    private ScheduledVisit()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>Protocol day relative to randomization; null for an unscheduled visit.</summary>
    public int? Day { get; private set; }

    public DateOnly? TargetDate { get; private set; }

    public DateOnly? WindowStart { get; private set; }

    public DateOnly? WindowEnd { get; private set; }

    public List<string> Procedures { get; private set; } = [];

    public VisitStatus Status { get; private set; }

    public DateOnly? ActualDate { get; private set; }

    public string? MissedReason { get; private set; }

    public bool OutOfWindow { get; private set; }

    public bool HasProcedure(string procedure) => Procedures.Contains(procedure, StringComparer.OrdinalIgnoreCase);

    /// <summary>Every visit of the protocol for a participant randomized on <paramref name="dayZero"/>.</summary>
    public static IReadOnlyList<ScheduledVisit> ScheduleFor(Participant participant, IEnumerable<VisitDefinition> definitions, DateOnly dayZero) =>
        [.. definitions.OrderBy(d => d.Day).ThenBy(d => d.Ordinal).Select(d =>
        {
            var target = dayZero.AddDays(d.Day);
            var visit = new ScheduledVisit
            {
                Id = Guid.NewGuid(),
                TrialId = participant.TrialId,
                SiteId = participant.SiteId,
                ParticipantId = participant.Id,
                Code = d.Code,
                Name = d.Name,
                Day = d.Day,
                TargetDate = target,
                WindowStart = target.AddDays(-d.WindowBefore),
                WindowEnd = target.AddDays(d.WindowAfter),
                Procedures = [.. d.Procedures],
                Status = VisitStatus.Scheduled,
            };
            visit.CountVersion(); // the schedule is the visit's first version; recording it, the next
            return visit;
        })];

    /// <summary>An unscheduled visit, given its first version by <see cref="Complete"/>.</summary>
    public static ScheduledVisit Unscheduled(Participant participant, int number, string name, IEnumerable<string> procedures) => new()
    {
        Id = Guid.NewGuid(),
        TrialId = participant.TrialId,
        SiteId = participant.SiteId,
        ParticipantId = participant.Id,
        Code = $"{UnscheduledPrefix}{number}",
        Name = name,
        Procedures = [.. procedures],
        Status = VisitStatus.Scheduled,
    };

    /// <summary>
    /// Records the visit as done on <paramref name="actualDate"/>. Outside its window it is flagged; the caller records
    /// the protocol deviation. Returns whether it is out of window.
    /// </summary>
    /// <param name="lastOfSchedule">
    /// Whether this is the schedule's last visit, which completes the participant on its date; recording it again moves
    /// that completion with it.
    /// </param>
    public bool Complete(Participant participant, DateOnly actualDate, DateOnly today, bool lastOfSchedule = false)
    {
        ReopenCompletion(participant, lastOfSchedule);
        RequireOnStudy(participant, actualDate);
        if (actualDate > today)
        {
            throw new RuleViolationException(RuleCodes.VisitDateInFuture, "A visit cannot be completed on a future date.");
        }

        if (participant.RandomizedAt is { } randomizedAt && Day is >= 0 && actualDate < DateOnly.FromDateTime(randomizedAt.UtcDateTime))
        {
            throw new RuleViolationException(RuleCodes.VisitBeforeRandomization, "A visit after randomization cannot be dated before the randomization.");
        }

        Status = VisitStatus.Completed;
        ActualDate = actualDate;
        MissedReason = null;
        OutOfWindow = WindowStart is { } start && WindowEnd is { } end && (actualDate < start || actualDate > end);
        CountVersion();
        if (lastOfSchedule)
        {
            participant.CompleteTrial(actualDate);
        }

        return OutOfWindow;
    }

    /// <summary>A visit whose window closed while the participant was on study can still be recorded as missed.</summary>
    /// <param name="lastOfSchedule">Whether this is the schedule's last visit: missing it withdraws a completion it made.</param>
    public void Miss(Participant participant, string reason, bool lastOfSchedule = false)
    {
        ReopenCompletion(participant, lastOfSchedule);
        RequireOnStudy(participant, WindowEnd);
        Status = VisitStatus.Missed;
        MissedReason = reason;
        ActualDate = null;
        OutOfWindow = false;
        CountVersion();
    }

    // The last visit, which completed the participant, is recorded again: the completion follows that new record.
    private static void ReopenCompletion(Participant participant, bool lastOfSchedule)
    {
        if (lastOfSchedule && participant.Status == ParticipantStatus.Completed)
        {
            participant.ReopenCompletion();
        }
    }

    /// <summary>
    /// Visits are recorded for randomized participants only: not before randomization, nor after withdrawal, death or
    /// completion. What happened on or before the day a participant withdrew, died or completed can still be entered
    /// afterwards, dated by <paramref name="onDate"/> (null: an undated record, allowed only while the participant is
    /// on study).
    /// </summary>
    public static void RequireOnStudy(Participant participant, DateOnly? onDate)
    {
        if (participant.Status == ParticipantStatus.Randomized)
        {
            return;
        }

        var lastDay = participant.LeftStudyOn;
        if (lastDay is { } last && onDate is { } date && date <= last)
        {
            return;
        }

        throw new RuleViolationException(
            RuleCodes.ParticipantNotActive,
            lastDay is { } end
                ? $"The participant is {participant.Status} since {end:yyyy-MM-dd}: only what happened on or before that day can be recorded."
                : $"Visits can be recorded only for randomized participants; this one is {participant.Status}.");
    }
}

namespace Edc.Api.Features.Visits;

/// <summary>A cell of the participant-by-visit grid: where one protocol visit of one participant stands today.</summary>
public enum VisitCellStatus
{
    /// <summary>No visit yet: the participant is not randomized, so the schedule is not laid out.</summary>
    NotScheduled,

    /// <summary>Scheduled, its window not open yet.</summary>
    Scheduled,

    /// <summary>Scheduled and today inside its window (as on the worklist).</summary>
    Due,

    /// <summary>Scheduled and its window closed before today (as on the worklist).</summary>
    Overdue,

    Completed,

    /// <summary>Completed on a date outside its window (a protocol deviation).</summary>
    CompletedOutOfWindow,

    Missed,

    /// <summary>Not recorded, and no longer expected: the participant withdrew, completed the study or died.</summary>
    NotExpected,
}

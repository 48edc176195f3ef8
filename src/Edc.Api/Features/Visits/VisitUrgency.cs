namespace Edc.Api.Features.Visits;

/// <summary>How urgent an open visit is on the worklist, most urgent first.</summary>
public enum VisitUrgency
{
    /// <summary>The window has closed (window end before today) and the visit is not recorded.</summary>
    Overdue = 0,

    /// <summary>Today is inside the window (window start &lt;= today &lt;= window end).</summary>
    Due = 1,

    /// <summary>The window opens within the next <see cref="VisitWorklist.UpcomingDays"/> days.</summary>
    Upcoming = 2,
}

namespace Edc.Api.Features.AdverseEvents;

/// <summary>Which reports not yet sent the expedited-report worklist shows (sent ones are never on it).</summary>
public enum PendingReportStatus
{
    /// <summary>Its deadline is still ahead.</summary>
    Due,

    /// <summary>Its deadline has passed.</summary>
    Overdue,
}

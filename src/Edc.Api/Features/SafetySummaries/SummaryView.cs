namespace Edc.Api.Features.SafetySummaries;

/// <summary>How a summary is shown: by masked group (open, the default) or by real arm (closed, if the gate allows).</summary>
public enum SummaryView
{
    Open,
    Closed,
}

namespace Edc.Api.Features.Visits;

/// <summary>What a site records of a scheduled visit.</summary>
public enum VisitRecording
{
    /// <summary>The visit took place, on its actual date.</summary>
    Completed,

    /// <summary>The visit did not take place, for the reason given.</summary>
    Missed,
}

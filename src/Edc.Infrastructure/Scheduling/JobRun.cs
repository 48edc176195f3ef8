namespace Edc.Infrastructure.Scheduling;

/// <summary>
/// A run of one occurrence of a scheduled job (<see cref="JobOccurrence"/>): unique by job, trial (or none) and
/// period, so an occurrence runs once whichever instance fires it and however often it is fired again.
/// </summary>
public sealed class JobRun
{
    public Guid Id { get; private set; }

    public string Job { get; private set; } = string.Empty;

    public Guid? TrialId { get; private set; }

    public string Period { get; private set; } = string.Empty;

    public DateTimeOffset StartedAt { get; private set; }

    public DateTimeOffset? CompletedAt { get; private set; }

    public string? Outcome { get; private set; }
}

namespace Edc.Api.Common.Changes;

/// <summary>
/// A change to one trial's clinical data: its transaction holds the trial's row shared from its first statement to its
/// COMMIT, so the database lock waits for it and a change begun after the lock sees the trial locked.
/// </summary>
public interface ITrialChange : IAuditedChange
{
    Guid TrialId { get; }
}

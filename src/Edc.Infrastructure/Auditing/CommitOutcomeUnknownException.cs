namespace Edc.Infrastructure.Auditing;

/// <summary>
/// The connection to the database was lost while a transaction was being committed: the change may or may not have
/// been saved, and the server cannot tell. Answers 503 "commit-outcome-unknown" (unlike "unavailable", which means
/// nothing was saved), so a client reads the state before it repeats the change.
/// </summary>
public sealed class CommitOutcomeUnknownException(Exception inner)
    : Exception("The connection was lost while committing; the outcome is unknown.", inner);

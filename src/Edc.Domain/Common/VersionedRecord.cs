namespace Edc.Domain.Common;

/// <summary>
/// A record that clients edit from the version they read (a visit, an MRSS assessment, an infusion). Its
/// <see cref="Version"/> counts the record's states, 1 for the first, one more for each change its behaviour makes, so
/// the number a client read names exactly the state it changes. It is the record's ETag and, in the database, the
/// row's concurrency token: an update applies only to the version it was read at.
/// </summary>
public abstract class VersionedRecord
{
    /// <summary>The number of the record's current state: 1 for the first; 0 only before its first content is given.</summary>
    public int Version { get; private set; }

    /// <summary>Counts a change: each behaviour that changes the record calls it once, after its checks passed.</summary>
    protected void CountVersion() => Version++;
}

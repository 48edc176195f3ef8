using System.Collections.Concurrent;
using Edc.Infrastructure.Persistence;
using Microsoft.Extensions.Configuration;

namespace Edc.Infrastructure.Security;

/// <summary>
/// This instance's copies of the live sessions it has checked, so a request does not read its session row again (that
/// read cost as much as the rest of the API's pipeline). The database announces every change to a session, its user, or
/// the user's roles and sites (triggers, <c>NOTIFY</c> on <see cref="Channel"/>), and <see cref="SessionChangeListener"/>
/// forgets that user's copies on hearing it; a change made on this instance is also forgotten before its answer leaves.
/// Copies are used only while the announcements can be heard, and for <see cref="MaxAge"/> at most.
/// </summary>
public sealed class SessionCache(IConfiguration configuration)
{
    public const string Channel = "edc_session_changes";

    private readonly ConcurrentDictionary<Guid, Copy> _copies = new();

    // Bumped by every forgetting: a copy read while one happened may be older than the change, and is not kept.
    private long _generation;

    private volatile bool _listening;

    /// <summary>How long a copy may be used without being read again: the bound on a change whose announcement was lost.</summary>
    public TimeSpan MaxAge { get; } = TimeSpan.FromSeconds(configuration.GetValue("Edc:Sessions:CacheSeconds", 60.0));

    /// <summary>Whether copies are kept at all (<c>Edc:Sessions:CacheSeconds</c> = 0 turns them off).</summary>
    public bool Enabled => MaxAge > TimeSpan.Zero;

    /// <summary>Whether the announcements are heard now, so copies are used.</summary>
    public bool Listening => _listening;

    /// <summary>The session when it is live (not revoked, not expired) and its user active; null otherwise.</summary>
    public async Task<ActiveSession?> FindAsync(EdcDbContext db, Guid sessionId, Guid userId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_listening && _copies.TryGetValue(sessionId, out var copy)
            && copy.Session.UserId == userId && copy.Session.ExpiresAt > now && now - copy.ReadAt < MaxAge)
        {
            return copy.Session;
        }

        var generation = Interlocked.Read(ref _generation);
        var session = await ActiveSessions.FindAsync(db, sessionId, userId, now, cancellationToken);
        if (session is not null && _listening)
        {
            Keep(new Copy(session, now), generation);
        }

        return session;
    }

    /// <summary>Forgets the copies of one user's sessions: a change to them, their user, or its roles or sites.</summary>
    public void Forget(Guid userId)
    {
        Interlocked.Increment(ref _generation);
        foreach (var (sessionId, copy) in _copies)
        {
            if (copy.Session.UserId == userId)
            {
                _copies.TryRemove(KeyValuePair.Create(sessionId, copy));
            }
        }
    }

    /// <summary>Forgets every copy.</summary>
    public void ForgetAll()
    {
        Interlocked.Increment(ref _generation);
        _copies.Clear();
    }

    /// <summary>The announcements are heard from now on: copies may be kept again, none from before.</summary>
    internal void StartListening()
    {
        ForgetAll();
        _listening = true;
    }

    /// <summary>The announcements can no longer be heard: copies are dropped and not kept until they can.</summary>
    internal void StopListening()
    {
        _listening = false;
        ForgetAll();
    }

    private void Keep(Copy copy, long generation)
    {
        _copies[copy.Session.SessionId] = copy;
        // Stored first, checked second, while forgetting counts first and removes second: whichever comes later removes
        // a copy read before a change it may not show.
        if (Interlocked.Read(ref _generation) != generation)
        {
            _copies.TryRemove(KeyValuePair.Create(copy.Session.SessionId, copy));
        }
    }

    private sealed record Copy(ActiveSession Session, DateTimeOffset ReadAt);
}

using Edc.Api.Common;
using Edc.Domain.Safety;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>An expedited report's deadline and whether it was, or still can be, met.</summary>
public sealed record ReportingClockView(DateTimeOffset ClockStartedAt, DateTimeOffset DueAt, DateTimeOffset? SentAt, ReportTimeliness Timeliness)
{
    public static ReportingClockView? From(ReportingClock? clock, DateTimeOffset now) =>
        clock is null ? null : new(clock.StartedAt, clock.DueAt, clock.SentAt, clock.TimelinessAt(now));
}

/// <summary>
/// An adverse event as every reader sees it: nothing in it depends on, or reveals, the arm. <see cref="Version"/> is the
/// current version's number, the ETag a revision sends back in <c>If-Match</c>; <see cref="Versions"/> holds every
/// version in the answers about one event (its GET and its revision), and is null in lists.
/// </summary>
public sealed record AdverseEventView(
    Guid Id,
    Guid TrialId,
    Guid SiteId,
    Guid ParticipantId,
    string ScreeningNumber,
    int Version,
    string Term,
    DateOnly OnsetDate,
    DateOnly? EndDate,
    bool Ongoing,
    int Grade,
    bool Serious,
    IReadOnlyList<SeriousnessCriterion> SeriousnessCriteria,
    Relatedness Relatedness,
    bool? Expected,
    ActionTaken ActionTaken,
    AdverseEventOutcome Outcome,
    DateTimeOffset AwarenessDate,
    bool Susar,
    ReportingClockView? SponsorReport,
    ReportingClockView? RegulatorReport,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    IReadOnlyList<AdverseEventVersionView>? Versions = null) : IVersionedView
{
    public static AdverseEventView From(AdverseEvent a, string screeningNumber, DateTimeOffset now, IReadOnlyList<AdverseEventVersionView>? versions = null) => new(
        a.Id, a.TrialId, a.SiteId, a.ParticipantId, screeningNumber, a.CurrentVersion, a.Term, a.OnsetDate, a.EndDate, a.Ongoing, a.Grade,
        a.Serious, a.SeriousnessCriteria, a.Relatedness, a.Expected, a.ActionTaken, a.Outcome, a.AwareAt, a.Susar,
        ReportingClockView.From(a.SponsorClock, now), ReportingClockView.From(a.RegulatorClock, now), a.CreatedAt, a.UpdatedAt, versions);
}

/// <summary>One version as it was entered: who, when, why, and the whole form.</summary>
public sealed record AdverseEventVersionView(int Version, DateTimeOffset RecordedAt, Guid RecordedBy, string? RecordedByEmail, string? Reason, AdverseEventFormView Report)
{
    /// <summary>Every version of an adverse event, the first first.</summary>
    internal static Task<List<AdverseEventVersionView>> ListAsync(EdcDbContext db, Guid adverseEventId, CancellationToken cancellationToken) =>
        db.AdverseEventVersions.AsNoTracking()
            .Where(v => v.AdverseEventId == adverseEventId)
            .OrderBy(v => v.Number)
            .GroupJoin(db.Users, v => v.RecordedBy, u => u.Id, (v, users) => new { v, users })
            .SelectMany(x => x.users.DefaultIfEmpty(), (x, u) => new AdverseEventVersionView(x.v.Number, x.v.RecordedAt, x.v.RecordedBy, u!.Email, x.v.Reason, AdverseEventFormView.From(x.v.Report)))
            .ToListAsync(cancellationToken);
}

/// <summary>A version's form in the client's own field names, as the client sent it (the awareness as given or defaulted).</summary>
public sealed record AdverseEventFormView(
    string Term,
    DateOnly OnsetDate,
    DateOnly? EndDate,
    bool Ongoing,
    int Grade,
    bool Serious,
    IReadOnlyList<SeriousnessCriterion> SeriousnessCriteria,
    Relatedness Relatedness,
    bool? Expected,
    ActionTaken ActionTaken,
    AdverseEventOutcome Outcome,
    DateTimeOffset AwarenessDate)
{
    public static AdverseEventFormView From(AdverseEventReport r) => new(
        r.Term, r.OnsetDate, r.EndDate, r.Ongoing, r.Grade, r.Serious, r.SeriousnessCriteria, r.Relatedness, r.Expected, r.ActionTaken, r.Outcome, r.AwareAt);
}

/// <summary>The adverse events the caller may see: every site's for roles not bound to sites, otherwise their sites' only.</summary>
internal sealed class AdverseEventReader(EdcDbContext db, VisibleData visible)
{
    public async Task<AdverseEvent> GetAsync(Guid trialId, Guid adverseEventId, CancellationToken cancellationToken) =>
        await visible.AdverseEvents(trialId).SingleOrDefaultAsync(a => a.Id == adverseEventId, cancellationToken)
        ?? throw new NotFoundException("The adverse event");

    public Task<string> ScreeningNumberAsync(AdverseEvent adverseEvent, CancellationToken cancellationToken) =>
        db.Participants.Where(p => p.Id == adverseEvent.ParticipantId).Select(p => p.ScreeningNumber).SingleAsync(cancellationToken);
}

using System.Text.Json.Serialization;
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
/// An adverse event as every reader sees it: nothing in it depends on, or reveals, the arm. Its current version's form
/// is inline, between who it is of and its reporting state. <see cref="Version"/> is the current version's number, the
/// ETag a revision sends back in <c>If-Match</c>; <see cref="Versions"/> holds every version in the answers about one
/// event (its GET and its revision), and is null in lists.
/// </summary>
public sealed record AdverseEventView : AdverseEventForm, IVersionedView
{
    private AdverseEventView(AdverseEventForm form)
        : base(form)
    {
    }

    public Guid Id { get; init; }

    public Guid TrialId { get; init; }

    public Guid SiteId { get; init; }

    public Guid ParticipantId { get; init; }

    public string ScreeningNumber { get; init; } = string.Empty;

    public int Version { get; init; }

    // The fields after the form's (those of a derived type come first otherwise).
    [JsonPropertyOrder(1)]
    public bool Susar { get; init; }

    [JsonPropertyOrder(1)]
    public ReportingClockView? SponsorReport { get; init; }

    [JsonPropertyOrder(1)]
    public ReportingClockView? RegulatorReport { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset CreatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public DateTimeOffset UpdatedAt { get; init; }

    [JsonPropertyOrder(1)]
    public IReadOnlyList<AdverseEventVersionView>? Versions { get; init; }

    public static AdverseEventView From(AdverseEvent a, string screeningNumber, DateTimeOffset now, IReadOnlyList<AdverseEventVersionView>? versions = null) =>
        new(AdverseEventForm.From(a.Report))
        {
            Id = a.Id,
            TrialId = a.TrialId,
            SiteId = a.SiteId,
            ParticipantId = a.ParticipantId,
            ScreeningNumber = screeningNumber,
            Version = a.CurrentVersion,
            Susar = a.Susar,
            SponsorReport = ReportingClockView.From(a.SponsorClock, now),
            RegulatorReport = ReportingClockView.From(a.RegulatorClock, now),
            CreatedAt = a.CreatedAt,
            UpdatedAt = a.UpdatedAt,
            Versions = versions,
        };
}

/// <summary>One version as it was entered: who, when, why, and the whole form.</summary>
public sealed record AdverseEventVersionView(int Version, DateTimeOffset RecordedAt, Guid RecordedBy, string? RecordedByEmail, string? Reason, AdverseEventForm Report)
{
    /// <summary>Every version of an adverse event, the first first.</summary>
    internal static Task<List<AdverseEventVersionView>> ListAsync(EdcDbContext db, Guid adverseEventId, CancellationToken cancellationToken) =>
        db.AdverseEventVersions.AsNoTracking()
            .Where(v => v.AdverseEventId == adverseEventId)
            .OrderBy(v => v.Number)
            .GroupJoin(db.Users, v => v.RecordedBy, u => u.Id, (v, users) => new { v, users })
            .SelectMany(x => x.users.DefaultIfEmpty(), (x, u) => new AdverseEventVersionView(x.v.Number, x.v.RecordedAt, x.v.RecordedBy, u!.Email, x.v.Reason, AdverseEventForm.From(x.v.Report)))
            .ToListAsync(cancellationToken);
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

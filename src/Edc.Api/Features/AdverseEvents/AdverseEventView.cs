using System.Text.Json.Serialization;
using Edc.Api.Common;
using Edc.Domain.Safety;

namespace Edc.Api.Features.AdverseEvents;

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

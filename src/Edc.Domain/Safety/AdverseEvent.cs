using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Trials;

namespace Edc.Domain.Safety;

/// <summary>
/// An adverse event of a participant: its current version's form (<see cref="Report"/>), whose fields the lists filter
/// on, and its expedited reporting clocks. Every version, the first included, is kept whole in
/// <see cref="AdverseEventVersion"/>; nothing is overwritten without a new version and its reason.
/// </summary>
public sealed class AdverseEvent : ITrialScoped, ISiteScoped
{
    private AdverseEvent()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    /// <summary>The number of the current version; the first is 1.</summary>
    public int CurrentVersion { get; private set; }

    /// <summary>
    /// The current version's form. Its fields are the event's own columns, which the lists filter on (in a query:
    /// <c>a.Report.Serious</c>); every version's form is kept whole in <see cref="AdverseEventVersion"/>.
    /// </summary>
    public AdverseEventReport Report { get; private set; } = null!;

    /// <summary>Whether the current version is serious: what starts the sponsor's clock and tells the site.</summary>
    public bool Serious => Report.Serious;

    /// <summary>The current version's CTCAE grade.</summary>
    public int Grade => Report.Grade;

    public bool Susar { get; private set; }

    public DateTimeOffset? SponsorClockStartedAt { get; private set; }

    public DateTimeOffset? SponsorDueAt { get; private set; }

    public DateTimeOffset? SponsorReportSentAt { get; private set; }

    public DateTimeOffset? RegulatorClockStartedAt { get; private set; }

    public DateTimeOffset? RegulatorDueAt { get; private set; }

    public DateTimeOffset? RegulatorReportSentAt { get; private set; }

    /// <summary>When the site was told that the report to the sponsor is overdue; once per event.</summary>
    public DateTimeOffset? SponsorOverdueNotifiedAt { get; private set; }

    /// <summary>When the site was told that the report to the regulators is overdue; once per event.</summary>
    public DateTimeOffset? RegulatorOverdueNotifiedAt { get; private set; }

    public DateTimeOffset CreatedAt { get; private set; }

    public DateTimeOffset UpdatedAt { get; private set; }

    public ReportingClock? SponsorClock => SponsorDueAt is { } due
        ? new ReportingClock(ReportRecipient.Sponsor, SponsorClockStartedAt!.Value, due, SponsorReportSentAt)
        : null;

    public ReportingClock? RegulatorClock => RegulatorDueAt is { } due
        ? new ReportingClock(ReportRecipient.Regulator, RegulatorClockStartedAt!.Value, due, RegulatorReportSentAt)
        : null;

    /// <summary>Records a new adverse event (version 1) of an enrolled participant of an open trial.</summary>
    public static (AdverseEvent Event, AdverseEventVersion FirstVersion) Record(
        Trial trial, Participant participant, AdverseEventReport report, Guid recordedBy, DateTimeOffset now)
    {
        RequireRecordable(trial, participant);
        var adverseEvent = new AdverseEvent
        {
            Id = Guid.NewGuid(),
            TrialId = participant.TrialId,
            SiteId = participant.SiteId,
            ParticipantId = participant.Id,
            CreatedAt = now,
        };
        return (adverseEvent, adverseEvent.Apply(participant, report, reason: null, recordedBy, now));
    }

    /// <summary>
    /// A new version replacing the current one, with its reason. A clock that starts with this version (the event
    /// becomes serious, or a SUSAR) starts at the awareness given, else now.
    /// </summary>
    public AdverseEventVersion Revise(Trial trial, Participant participant, AdverseEventReport report, string reason, Guid recordedBy, DateTimeOffset now)
    {
        RequireRecordable(trial, participant);
        return Apply(participant, report, reason, recordedBy, now);
    }

    /// <summary>
    /// The awareness of a version that gives none: the time of entry for a new event or one that becomes serious now
    /// (the site learns of its seriousness), otherwise the awareness already recorded.
    /// </summary>
    public DateTimeOffset AwarenessWhenNotGiven(bool serious, DateTimeOffset now) =>
        CurrentVersion == 0 || (serious && !Serious) ? now : Report.AwareAt;

    /// <summary>Records when the expedited report to the sponsor or the regulators was sent.</summary>
    public void RecordReportSent(ReportRecipient recipient, DateTimeOffset sentAt, DateTimeOffset now)
    {
        var clock = recipient == ReportRecipient.Sponsor ? SponsorClock : RegulatorClock;
        if (clock is null)
        {
            throw new RuleViolationException(
                RuleCodes.NoReportDue,
                recipient == ReportRecipient.Sponsor
                    ? "Only a serious adverse event is reported to the sponsor."
                    : "Only a suspected unexpected serious adverse reaction is reported to the regulators.");
        }

        if (clock.SentAt is not null)
        {
            throw new RuleViolationException(RuleCodes.ReportAlreadyRecorded, $"The report to the {recipient.ToString().ToLowerInvariant()} is already recorded as sent.");
        }

        if (sentAt > now)
        {
            throw new RuleViolationException(RuleCodes.ReportSentInFuture, "A report cannot be recorded as sent in the future.");
        }

        if (sentAt < Report.AwareAt)
        {
            throw new RuleViolationException(RuleCodes.ReportSentBeforeAwareness, "A report cannot have been sent before the site became aware of the event.");
        }

        if (recipient == ReportRecipient.Sponsor)
        {
            SponsorReportSentAt = sentAt;
        }
        else
        {
            RegulatorReportSentAt = sentAt;
        }

        UpdatedAt = now;
    }

    /// <summary>
    /// The reports that are overdue and not yet announced as such, now marked as announced: the deadline monitor tells
    /// the site once per report, however often it runs.
    /// </summary>
    public IReadOnlyList<ReportingClock> TakeNewlyOverdue(DateTimeOffset now)
    {
        var overdue = new List<ReportingClock>();
        if (SponsorClock is { } sponsor && sponsor.TimelinessAt(now) == ReportTimeliness.Overdue && SponsorOverdueNotifiedAt is null)
        {
            SponsorOverdueNotifiedAt = now;
            overdue.Add(sponsor);
        }

        if (RegulatorClock is { } regulator && regulator.TimelinessAt(now) == ReportTimeliness.Overdue && RegulatorOverdueNotifiedAt is null)
        {
            RegulatorOverdueNotifiedAt = now;
            overdue.Add(regulator);
        }

        return overdue;
    }

    private static void RequireRecordable(Trial trial, Participant participant)
    {
        trial.RequireOpenForData();
        if (participant.EnrolledAt is null)
        {
            throw new RuleViolationException(RuleCodes.NotEnrolled, "Adverse events are recorded for enrolled participants only.");
        }
    }

    private AdverseEventVersion Apply(Participant participant, AdverseEventReport report, string? reason, Guid recordedBy, DateTimeOffset now)
    {
        var previous = CurrentVersion == 0 ? null : Report;
        if (report.IsFatal)
        {
            participant.RecordDeath(Id, report.EndDate ?? report.OnsetDate);
        }
        else if (previous?.IsFatal == true)
        {
            participant.RevokeDeath(Id);
        }

        Report = report;
        Susar = report.IsSusar;
        RunClocks(report, previous, now);
        CurrentVersion++;
        UpdatedAt = now;
        return AdverseEventVersion.Of(this, report, reason, recordedBy, now);
    }

    // The sponsor's clock runs from the awareness while the event is serious. The regulators' clock starts when the
    // event first qualifies as a SUSAR: at the awareness if it qualifies as soon as it is serious, otherwise when the
    // version that makes it one is entered. A clock of an event that no longer qualifies stops, unless its report was
    // already sent: a regulatory act that happened stays on record, with the deadline it met or missed.
    private void RunClocks(AdverseEventReport report, AdverseEventReport? previous, DateTimeOffset now)
    {
        if (report.Serious)
        {
            SponsorClockStartedAt = report.AwareAt;
            SponsorDueAt = report.AwareAt + ReportingClock.SponsorDeadline;
        }
        else if (SponsorReportSentAt is null)
        {
            SponsorClockStartedAt = null;
            SponsorDueAt = null;
        }

        if (report.IsSusar)
        {
            RegulatorClockStartedAt ??= previous?.Serious == true ? now : report.AwareAt;
            RegulatorDueAt = RegulatorClockStartedAt + (report.IsFatalOrLifeThreatening
                ? ReportingClock.FatalOrLifeThreateningSusarDeadline
                : ReportingClock.OtherSusarDeadline);
        }
        else if (RegulatorReportSentAt is null)
        {
            RegulatorClockStartedAt = null;
            RegulatorDueAt = null;
        }
    }
}

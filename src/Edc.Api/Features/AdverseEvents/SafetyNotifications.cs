using Edc.Api.Features.Notifications;
using Edc.Domain.Notifications;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>
/// Safety notifications, queued in the outbox in the transaction of the change that causes them. They name the
/// participant by screening number and never an arm.
/// </summary>
internal sealed class SafetyNotifications(EdcDbContext db)
{
    private readonly Dictionary<Guid, List<Guid>> _contactsBySite = [];

    public const string SeriousEventKind = "SeriousAdverseEvent";

    public const string ReportOverdueKind = "ExpeditedReportOverdue";

    /// <summary>A serious event was entered (or became serious): the site's investigators and the admins are told, with the deadline.</summary>
    public async Task SeriousEventEnteredAsync(AdverseEvent adverseEvent, Participant participant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = $"A serious adverse event was entered for participant {participant.ScreeningNumber}: {adverseEvent.Report.Term}, grade {adverseEvent.Report.Grade} " +
            $"({string.Join(", ", adverseEvent.Report.SeriousnessCriteria)}). The site became aware at {adverseEvent.Report.AwareAt:u}; the report to the sponsor is " +
            $"due by {adverseEvent.SponsorDueAt:u}." + (adverseEvent.Susar ? $" It is a suspected unexpected serious adverse reaction: the report to the regulators is due by {adverseEvent.RegulatorDueAt:u}." : string.Empty);
        foreach (var recipient in await SiteSafetyContactsAsync(adverseEvent.SiteId, cancellationToken))
        {
            db.Notifications.Add(Notification.To(recipient, adverseEvent.TrialId, SeriousEventKind, $"Serious adverse event: {participant.ScreeningNumber}", body, now));
        }
    }

    /// <summary>An expedited report's deadline passed without a record of it being sent.</summary>
    public async Task ReportOverdueAsync(AdverseEvent adverseEvent, string screeningNumber, ReportingClock clock, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var to = clock.Recipient == ReportRecipient.Sponsor ? "sponsor" : "regulators";
        var body = $"The report to the {to} of the serious adverse event {adverseEvent.Report.Term} of participant {screeningNumber} was due by {clock.DueAt:u} " +
            "and is not recorded as sent. Send it now and record when it was sent.";
        foreach (var recipient in await SiteSafetyContactsAsync(adverseEvent.SiteId, cancellationToken))
        {
            db.Notifications.Add(Notification.To(recipient, adverseEvent.TrialId, ReportOverdueKind, $"Overdue report to the {to}: {screeningNumber}", body, now));
        }
    }

    /// <summary>The active admins and the active investigators of the site; asked once per site in a unit of work.</summary>
    private async Task<List<Guid>> SiteSafetyContactsAsync(Guid siteId, CancellationToken cancellationToken)
    {
        if (!_contactsBySite.TryGetValue(siteId, out var contacts))
        {
            contacts = await NotificationRecipients.WithRolesAsync(db, [Roles.Admin], [Roles.Investigator], siteId, cancellationToken);
            _contactsBySite[siteId] = contacts;
        }

        return contacts;
    }
}

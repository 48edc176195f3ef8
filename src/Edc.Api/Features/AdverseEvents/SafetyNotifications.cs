using Edc.Domain.Notifications;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>
/// Safety notifications, queued in the outbox in the transaction of the change that causes them. They name the
/// participant by screening number and never an arm.
/// </summary>
internal sealed class SafetyNotifications(EdcDbContext db)
{
    public const string SeriousEventKind = "SeriousAdverseEvent";

    public const string ReportOverdueKind = "ExpeditedReportOverdue";

    /// <summary>A serious event was entered (or became serious): the site's investigators and the admins are told, with the deadline.</summary>
    public async Task SeriousEventEnteredAsync(AdverseEvent adverseEvent, Participant participant, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var body = $"A serious adverse event was entered for participant {participant.ScreeningNumber}: {adverseEvent.Term}, grade {adverseEvent.Grade} " +
            $"({string.Join(", ", adverseEvent.SeriousnessCriteria)}). The site became aware at {adverseEvent.AwareAt:u}; the report to the sponsor is " +
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
        var body = $"The report to the {to} of the serious adverse event {adverseEvent.Term} of participant {screeningNumber} was due by {clock.DueAt:u} " +
            "and is not recorded as sent. Send it now and record when it was sent.";
        foreach (var recipient in await SiteSafetyContactsAsync(adverseEvent.SiteId, cancellationToken))
        {
            db.Notifications.Add(Notification.To(recipient, adverseEvent.TrialId, ReportOverdueKind, $"Overdue report to the {to}: {screeningNumber}", body, now));
        }
    }

    /// <summary>The active admins and the active investigators of the site.</summary>
    private async Task<List<Guid>> SiteSafetyContactsAsync(Guid siteId, CancellationToken cancellationToken)
    {
        var admin = EdcRole.IdOf(Roles.Admin);
        var investigator = EdcRole.IdOf(Roles.Investigator);
        return await db.UserRoles
            .Where(r => r.RoleId == admin || (r.RoleId == investigator && db.UserSites.Any(s => s.UserId == r.UserId && s.SiteId == siteId)))
            .Join(db.Users.Where(u => u.IsActive), r => r.UserId, u => u.Id, (r, u) => u.Id)
            .Distinct()
            .ToListAsync(cancellationToken);
    }
}

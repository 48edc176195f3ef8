using System.Globalization;
using System.Text;
using Edc.Api.Security;
using Edc.Domain.Notifications;
using Edc.Domain.Participants;
using Edc.Domain.Scheduling;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Scheduling;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Visits;

/// <summary>
/// The daily digest of overdue visits: for each site of each active trial with visits overdue on the occurrence's day
/// (as on the worklist: window closed before that day, still Scheduled, participant Randomized), one notification to
/// each active Coordinator and Investigator of the site, listing screening numbers and visit codes (never an arm).
/// A site with nothing overdue gets nothing.
/// <para>
/// Each trial's digest is one transaction that first claims the run (job, trial, day): a second instance or a re-fire
/// of the same day's occurrence finds the claim and sends nothing.
/// </para>
/// </summary>
public static class OverdueVisitDigest
{
    public const string JobName = "OverdueVisitDigest";
    public const string Kind = "VisitsOverdue";

    /// <summary>The occurrence's scheduled time: its UTC day is the day visits are overdue on, and the run's period.</summary>
    [SystemRequest]
    public sealed record Command(DateTimeOffset ScheduledAt) : IRequest<int>;

    /// <summary>Answers how many notifications were queued.</summary>
    internal sealed class Handler(EdcDbContext db, TimeProvider clock) : IRequestHandler<Command, int>
    {
        private static readonly Guid[] RecipientRoleIds = [EdcRole.IdOf(Roles.Coordinator), EdcRole.IdOf(Roles.Investigator)];

        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var trials = await db.Trials.AsNoTracking().Where(t => t.Status == TrialStatus.Active).OrderBy(t => t.Code)
                .Select(t => new TrialRef(t.Id, t.Code)).ToListAsync(cancellationToken);
            var queued = 0;
            foreach (var trial in trials)
            {
                queued += await DigestAsync(trial, command.ScheduledAt, cancellationToken);
            }

            return queued;
        }

        private async Task<int> DigestAsync(TrialRef trial, DateTimeOffset scheduledAt, CancellationToken cancellationToken)
        {
            var run = new JobOccurrence(JobName, trial.Id, JobPeriods.Day(scheduledAt));
            await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, cancellationToken);
            if (!await run.ClaimAsync(db, clock.GetUtcNow(), cancellationToken))
            {
                return 0;
            }

            var day = DateOnly.FromDateTime(scheduledAt.UtcDateTime);
            var overdue = await (
                    from v in db.Visits.AsNoTracking()
                    join p in db.Participants.AsNoTracking() on v.ParticipantId equals p.Id
                    join s in db.Sites.AsNoTracking() on v.SiteId equals s.Id
                    where v.TrialId == trial.Id && p.Status == ParticipantStatus.Randomized
                        && v.Status == VisitStatus.Scheduled && v.Day != null && v.WindowEnd < day
                    orderby s.Code, p.ScreeningNumber, v.Day, v.Code
                    select new OverdueVisit(s.Id, s.Code, p.ScreeningNumber, v.Code, v.WindowEnd!.Value))
                .ToListAsync(cancellationToken);
            var siteIds = overdue.Select(v => v.SiteId).Distinct().ToList();
            var recipients = await (
                    from us in db.UserSites
                    join ur in db.UserRoles on us.UserId equals ur.UserId
                    join u in db.Users on us.UserId equals u.Id
                    where siteIds.Contains(us.SiteId) && RecipientRoleIds.Contains(ur.RoleId) && u.IsActive
                    select new { us.SiteId, UserId = u.Id })
                .Distinct().ToListAsync(cancellationToken);

            var now = clock.GetUtcNow();
            var notifications = overdue.GroupBy(v => (v.SiteId, v.SiteCode)).SelectMany(site =>
            {
                var subject = $"Overdue visits at {site.Key.SiteCode} ({trial.Code})";
                var body = Body(trial, site.Key.SiteCode, day, [.. site]);
                return recipients.Where(r => r.SiteId == site.Key.SiteId)
                    .Select(r => Notification.To(r.UserId, trial.Id, Kind, subject, body, now));
            }).ToList();
            db.Notifications.AddRange(notifications);
            await db.SaveChangesAsync(cancellationToken);

            var outcome = overdue.Count == 0
                ? "No visit overdue."
                : $"{overdue.Count} overdue visits at {siteIds.Count} sites; {notifications.Count} notifications.";
            await run.CompleteAsync(db, outcome, clock.GetUtcNow(), cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return notifications.Count;
        }

        private static string Body(TrialRef trial, string siteCode, DateOnly day, IReadOnlyList<OverdueVisit> visits)
        {
            var text = new StringBuilder();
            text.Append(CultureInfo.InvariantCulture,
                $"Visits overdue at site {siteCode} of trial {trial.Code} on {day:yyyy-MM-dd} (window closed, not recorded):");
            foreach (var visit in visits)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n{visit.ScreeningNumber} {visit.VisitCode} (window closed {visit.WindowEnd:yyyy-MM-dd})");
            }

            return text.ToString();
        }
    }

    private sealed record TrialRef(Guid Id, string Code);

    private sealed record OverdueVisit(Guid SiteId, string SiteCode, string ScreeningNumber, string VisitCode, DateOnly WindowEnd);
}

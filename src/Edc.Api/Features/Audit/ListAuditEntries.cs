using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Audit;

/// <summary>The audit trail of one trial: Admins and data managers see all of it, Investigators and monitors the rows of their own sites.</summary>
public static class ListAuditEntries
{
    /// <param name="TrialId">null for the whole trail (Admin only), logins and account changes included.</param>
    [AllowedRoles(Roles.Admin, Roles.Investigator, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid? TrialId, AuditFilter Filter, PageRequest Page) : IRequest<PagedList<AuditEntryView>>;

    internal sealed class Handler(EdcDbContext db, CurrentUser currentUser, VisibleData visible) : IRequestHandler<Query, PagedList<AuditEntryView>>
    {
        public async Task<PagedList<AuditEntryView>> Handle(Query query, CancellationToken cancellationToken)
        {
            // The request admits Investigators, monitors and data managers for their trial's rows; the whole trail (sign-ins, accounts) is the Admins' only.
            if (query.TrialId is null && !currentUser.IsInRole(Roles.Admin))
            {
                throw new ForbiddenException("Only an Admin reads the whole audit trail.");
            }

            var rows = db.AuditEntries.AsNoTracking();
            if (query.TrialId is { } trialId)
            {
                await visible.RequireTrialAsync(trialId, cancellationToken);
                rows = rows.Where(a => a.TrialId == trialId);
                if (!currentUser.SeesAllSites)
                {
                    rows = rows.Where(a => a.SiteId != null && currentUser.SiteIds.Contains(a.SiteId.Value));
                }
            }

            rows = Apply(rows, query.Filter);
            return await rows.OrderBy(a => a.Sequence)
                .Select(a => new AuditEntryView(
                    a.Sequence, a.OccurredAt, a.UserId, a.UserEmail, a.UserRoles, a.Action, a.EntityType, a.EntityId,
                    a.TrialId, a.SiteId, a.Field, a.OldValue, a.NewValue, a.Reason))
                .ToPageAsync(query.Page, cancellationToken);
        }

        private static IQueryable<AuditEntry> Apply(IQueryable<AuditEntry> rows, AuditFilter filter)
        {
            if (!string.IsNullOrEmpty(filter.EntityType))
            {
                rows = rows.Where(a => a.EntityType == filter.EntityType);
            }

            if (!string.IsNullOrEmpty(filter.EntityId))
            {
                rows = rows.Where(a => a.EntityId == filter.EntityId);
            }

            if (filter.UserId is { } userId)
            {
                rows = rows.Where(a => a.UserId == userId);
            }

            if (filter.From is { } from)
            {
                rows = rows.Where(a => a.OccurredAt >= from.ToUniversalTime());
            }

            if (filter.To is { } to)
            {
                rows = rows.Where(a => a.OccurredAt <= to.ToUniversalTime());
            }

            return rows;
        }
    }
}

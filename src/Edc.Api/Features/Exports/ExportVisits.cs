using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>The visit export: one row per visit of the schedule (and unscheduled visits), with its window and outcome.</summary>
public static class ExportVisits
{
    public const string Name = "visits.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "screeningNumber", "randomizationNumber", "siteCode", "visitCode", "visitName", "day", "targetDate", "windowStart", "windowEnd",
        "status", "actualDate", "outOfWindow", "missedReason",
    ];

    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId) : IRequest<PreparedExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible) : IRequestHandler<Query, PreparedExport>
    {
        public async Task<PreparedExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, arms) = await TrialExport.BeginAsync(db, visible, user, gate, query.TrialId, Name, cancellationToken);
            var rows =
                from v in db.Visits.AsNoTracking()
                join p in visible.Participants(trial.Id) on v.ParticipantId equals p.Id
                join s in db.Sites on p.SiteId equals s.Id
                where v.TrialId == trial.Id
                orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
                select new
                {
                    ParticipantId = p.Id,
                    p.ScreeningNumber,
                    p.RandomizationNumber,
                    SiteCode = s.Code,
                    v.Code,
                    v.Name,
                    v.Day,
                    v.TargetDate,
                    v.WindowStart,
                    v.WindowEnd,
                    v.Status,
                    v.ActualDate,
                    v.OutOfWindow,
                    v.MissedReason,
                };

            var header = arms is null ? Columns : [.. Columns, "arm"];
            return new PreparedExport(TrialExport.FileName(trial, Name), (body, ct) => TrialExport.StreamAsync(body, header, rows.AsAsyncEnumerable(), (csv, r) =>
            {
                csv.Text(r.ScreeningNumber).Text(r.RandomizationNumber).Text(r.SiteCode).Text(r.Code).Text(r.Name).Number(r.Day)
                    .Date(r.TargetDate).Date(r.WindowStart).Date(r.WindowEnd).Text(r.Status.ToString()).Date(r.ActualDate).Boolean(r.OutOfWindow)
                    .Text(r.MissedReason);
                if (arms is not null)
                {
                    csv.Text(arms.GetValueOrDefault(r.ParticipantId)?.Code);
                }
            }, ct));
        }
    }
}

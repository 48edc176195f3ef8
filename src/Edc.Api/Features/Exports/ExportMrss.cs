using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Exports;

/// <summary>
/// The MRSS export: one row per assessment (participant and visit), with the 17 areas in the contract's order, the
/// total, the participant's baseline total (the assessment of the Day 0 visit) and the change from it.
/// </summary>
public static class ExportMrss
{
    public const string Name = "mrss.csv";

    public static readonly IReadOnlyList<string> Columns =
    [
        "screeningNumber", "randomizationNumber", "siteCode", "visitCode", "assessedOn", "assessorName", .. MrssAssessment.Areas,
        "total", "baselineTotal", "changeFromBaseline",
    ];

    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId) : IRequest<PreparedExport>;

    internal sealed class Handler(EdcDbContext db, CurrentUser user, AssignmentGate gate, VisibleData visible) : IRequestHandler<Query, PreparedExport>
    {
        public async Task<PreparedExport> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, arms) = await TrialExport.BeginAsync(db, visible, user, gate, query.TrialId, Name, cancellationToken);
            var rows =
                from m in db.MrssAssessments.AsNoTracking()
                join v in db.Visits on m.VisitId equals v.Id
                join p in visible.Participants(trial.Id) on m.ParticipantId equals p.Id
                join s in db.Sites on p.SiteId equals s.Id
                where m.TrialId == trial.Id
                orderby s.Code, p.ScreeningNumber, v.Day == null, v.Day, v.Code
                select new
                {
                    Assessment = m,
                    ParticipantId = p.Id,
                    p.ScreeningNumber,
                    p.RandomizationNumber,
                    SiteCode = s.Code,
                    VisitCode = v.Code,
                    BaselineTotal = (
                        from bv in db.Visits
                        where bv.ParticipantId == m.ParticipantId && bv.Day == 0
                        join b in db.MrssAssessments on bv.Id equals b.VisitId
                        orderby bv.Code
                        select (int?)b.Total).FirstOrDefault(),
                };

            var header = arms is null ? Columns : [.. Columns, "arm"];
            return new PreparedExport(TrialExport.FileName(trial, Name), (body, ct) => TrialExport.StreamAsync(body, header, rows.AsAsyncEnumerable(), (csv, r) =>
            {
                var m = r.Assessment;
                csv.Text(r.ScreeningNumber).Text(r.RandomizationNumber).Text(r.SiteCode).Text(r.VisitCode).Date(m.AssessedOn).Text(m.AssessorName);
                foreach (var area in new[]
                {
                    m.Face, m.AnteriorChest, m.Abdomen, m.RightFingers, m.LeftFingers, m.RightHand, m.LeftHand, m.RightForearm, m.LeftForearm,
                    m.RightUpperArm, m.LeftUpperArm, m.RightThigh, m.LeftThigh, m.RightLowerLeg, m.LeftLowerLeg, m.RightFoot, m.LeftFoot,
                })
                {
                    csv.Number(area);
                }

                csv.Number(m.Total).Number(r.BaselineTotal).Number(m.Total - r.BaselineTotal);
                if (arms is not null)
                {
                    csv.Text(arms.GetValueOrDefault(r.ParticipantId)?.Code);
                }
            }, ct));
        }
    }
}

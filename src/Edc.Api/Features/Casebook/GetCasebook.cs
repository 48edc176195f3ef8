using Edc.Api.Common;
using Edc.Api.Features.Participants;
using Edc.Api.Features.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Casebook;

public sealed record MrssPoint(string VisitCode, DateOnly AssessedOn, int Total);

public sealed record CasebookInfusion(string VisitCode, bool Administered, DateTimeOffset? AdministeredAt, string? NotAdministeredReason);

public sealed record CasebookLinks(string Participant, string Visits, string AdverseEvents);

/// <summary>
/// One participant's casebook: the participant (arm only through the gate, as everywhere), visits, MRSS totals over time,
/// infusions given and not given, and links to the rest.
/// </summary>
public sealed record CasebookView(
    ParticipantView Participant,
    IReadOnlyList<VisitView> Visits,
    IReadOnlyList<MrssPoint> Mrss,
    IReadOnlyList<CasebookInfusion> Infusions,
    int InfusionsReceived,
    CasebookLinks Links);

public static class GetCasebook
{
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<CasebookView>;

    internal sealed class Handler(EdcDbContext db, ParticipantViews views, VisibleData visible) : IRequestHandler<Query, CasebookView>
    {
        public async Task<CasebookView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            var view = await views.ViewAsync(trial, participant, cancellationToken);

            var visits = await db.Visits.AsNoTracking().Where(v => v.ParticipantId == participant.Id)
                .OrderBy(v => v.Day == null).ThenBy(v => v.Day).ThenBy(v => v.Code)
                .ToListAsync(cancellationToken);
            var codes = visits.ToDictionary(v => v.Id, v => v.Code);
            var order = visits.Select((v, i) => (v.Id, i)).ToDictionary(x => x.Id, x => x.i);

            var mrss = await db.MrssAssessments.AsNoTracking().Where(m => m.ParticipantId == participant.Id)
                .Select(m => new { m.VisitId, m.AssessedOn, m.Total })
                .ToListAsync(cancellationToken);
            var infusions = await db.Infusions.AsNoTracking().Where(i => i.ParticipantId == participant.Id).ToListAsync(cancellationToken);

            var root = $"/api/trials/{trial.Id}/participants/{participant.Id}";
            return new CasebookView(
                view,
                [.. visits.Select(VisitView.From)],
                [.. mrss.OrderBy(m => m.AssessedOn).ThenBy(m => order.GetValueOrDefault(m.VisitId)).Select(m => new MrssPoint(codes[m.VisitId], m.AssessedOn, m.Total))],
                [.. infusions.OrderBy(i => order.GetValueOrDefault(i.VisitId))
                    .Select(i => new CasebookInfusion(codes[i.VisitId], i.Administered, i.AdministeredAt, i.NotAdministeredReason))],
                infusions.Count(i => i.Administered),
                new CasebookLinks(root, $"{root}/visits", $"/api/trials/{trial.Id}/adverse-events?participantId={participant.Id}"));
        }
    }
}

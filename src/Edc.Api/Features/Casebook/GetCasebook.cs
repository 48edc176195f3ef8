using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.Forms;
using Edc.Api.Features.Participants;
using Edc.Api.Features.Visits;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Casebook;

public static class GetCasebook
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<CasebookView>;

    internal sealed class Handler(EdcDbContext db, ParticipantViews views, VisibleData visible, FormCatalogs catalogs, SignatureViews signatures) : IRequestHandler<Query, CasebookView>
    {
        // One round trip, compiled once: the trial, the participant (at the caller's sites) and its visits, each with its
        // MRSS and its infusion (at most one of each per visit, by unique index), its saved forms' statuses and the forms of its open queries.
        private static readonly Func<EdcDbContext, Guid, Guid, bool, Guid[], CancellationToken, Task<Found?>> Load = EF.CompileAsyncQuery(
            (EdcDbContext db, Guid trialId, Guid participantId, bool allSites, Guid[] siteIds, CancellationToken cancellationToken) => (
                    from p in db.Participants
                    where p.TrialId == trialId && p.Id == participantId && (allSites || siteIds.Contains(p.SiteId))
                    join t in db.Trials on p.TrialId equals t.Id
                    select new Found
                    {
                        Trial = t,
                        Participant = p,
                        Visits = (
                            from v in db.Visits.Where(v => v.ParticipantId == p.Id)
                            join m in db.MrssAssessments on v.Id equals m.VisitId into mrss
                            from m in mrss.DefaultIfEmpty()
                            join i in db.Infusions on v.Id equals i.VisitId into infusions
                            from i in infusions.DefaultIfEmpty()
                            orderby v.Day == null, v.Day, v.Code
                            select new FoundVisit
                            {
                                Visit = v,
                                MrssId = (Guid?)m.Id,
                                MrssAssessedOn = (DateOnly?)m.AssessedOn,
                                MrssTotal = (int?)m.Total,
                                Infusion = i,
                                Forms = db.FormRecords.Where(r => r.VisitId == v.Id).Select(r => new FoundForm { FormCode = r.FormCode, Status = r.Status }).ToList(),
                                Reviews = db.FormReviews.Where(r => r.VisitId == v.Id)
                                    .Select(r => new FoundReview { FormCode = r.FormCode, Verified = r.VerifiedAt != null, Frozen = r.FrozenAt != null })
                                    .ToList(),
                                OpenQueries = db.Queries.Where(q => q.ParticipantId == p.Id && q.VisitCode == v.Code && q.Status == QueryStatus.Open)
                                    .Select(q => q.FormCode).ToList(),
                            })
                            .ToList(),
                    })
                .AsNoTracking()
                .SingleOrDefault());

        // A second statement, compiled once: joined to the visits above, the events would multiply their rows.
        private static readonly Func<EdcDbContext, Guid, IAsyncEnumerable<FoundAdverseEvent>> AdverseEventsOf = EF.CompileAsyncQuery(
            (EdcDbContext db, Guid participantId) => db.AdverseEvents
                .Where(a => a.ParticipantId == participantId)
                .OrderBy(a => a.Report.OnsetDate).ThenBy(a => a.CreatedAt)
                .Select(a => new FoundAdverseEvent(a.Id, a.Report.Term, a.Report.OnsetDate, a.Report.Ongoing, a.Report.Grade, a.Report.Serious, a.Susar)));

        public async Task<CasebookView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (allSites, siteIds) = visible.SiteFilter;
            var found = await Load(db, query.TrialId, query.ParticipantId, allSites, siteIds, cancellationToken)
                ?? throw new NotFoundException("The participant");
            var (trial, participant) = (found.Trial, found.Participant);
            var view = await views.ViewAsync(trial, participant, cancellationToken);

            var visits = found.Visits;
            var infusions = visits.Where(v => v.Infusion is not null).Select(v => (v.Visit.Code, Infusion: v.Infusion!)).ToList();

            var adverseEvents = new List<CasebookAdverseEvent>();
            await foreach (var a in AdverseEventsOf(db, participant.Id).WithCancellation(cancellationToken))
            {
                adverseEvents.Add(new CasebookAdverseEvent(
                    a.Id, a.Term, a.OnsetDate, a.Ongoing, a.Grade, a.Serious, a.Susar, $"/api/trials/{trial.Id}/adverse-events/{a.Id}"));
            }

            // A third statement: joined to the visits above, the signatures would multiply their rows too.
            var signed = await signatures.OfParticipantAsync(participant.Id, cancellationToken);

            // The trial's forms, kept per instance while its forms revision (read with the trial) stays the same.
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var root = $"/api/trials/{trial.Id}/participants/{participant.Id}";
            return new CasebookView(
                view,
                [.. visits.Select(v => new CasebookVisit(
                    VisitView.From(v.Visit),
                    [.. VisitFormSummary.ListAt(catalog, v.Visit, v.Forms.Select(f => (f.FormCode, f.Status)), v.MrssId is not null, v.Infusion is not null,
                            v.Reviews.Select(r => (r.FormCode, r.Verified, r.Frozen)), v.OpenQueries)
                        .Select(f => f with { Signed = signed.Any(s => s.Valid && s.Covers(v.Visit.Code)) })]))],
                [.. visits.Select((v, order) => (v, order))
                    .Where(x => x.v.MrssId is not null)
                    .OrderBy(x => x.v.MrssAssessedOn).ThenBy(x => x.order)
                    .Select(x => new MrssPoint(x.v.MrssId!.Value, x.v.Visit.Code, x.v.MrssAssessedOn!.Value, x.v.MrssTotal!.Value))],
                [.. infusions.Select(i => new CasebookInfusion(i.Infusion.Id, i.Code, i.Infusion.Administered, i.Infusion.AdministeredAt, i.Infusion.NotAdministeredReason))],
                infusions.Count(i => i.Infusion.Administered),
                adverseEvents,
                [.. catalog.LatestForms.Where(f => f.Log && !BuiltInFormCodes.All.Contains(f.Code)).Select(f => new CasebookLogForm(f.Code, f.Name, $"{root}/logs/{f.Code}"))],
                signed,
                new CasebookLinks(root, $"{root}/visits", $"/api/trials/{trial.Id}/adverse-events?participantId={participant.Id}"));
        }

        private sealed record FoundAdverseEvent(Guid Id, string Term, DateOnly OnsetDate, bool Ongoing, int Grade, bool Serious, bool Susar);

        private sealed class Found
        {
            public required Trial Trial { get; init; }

            public required Participant Participant { get; init; }

            public required List<FoundVisit> Visits { get; init; }
        }

        private sealed class FoundVisit
        {
            public required ScheduledVisit Visit { get; init; }

            public Guid? MrssId { get; init; }

            public DateOnly? MrssAssessedOn { get; init; }

            public int? MrssTotal { get; init; }

            public InfusionRecord? Infusion { get; init; }

            public required List<FoundForm> Forms { get; init; }

            public required List<FoundReview> Reviews { get; init; }

            public required List<string> OpenQueries { get; init; }
        }

        private sealed class FoundReview
        {
            public required string FormCode { get; init; }

            public required bool Verified { get; init; }

            public required bool Frozen { get; init; }
        }

        private sealed class FoundForm
        {
            public required string FormCode { get; init; }

            public required FormStatus Status { get; init; }
        }
    }
}

using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Analysis;
using Edc.Domain.Common;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Analysis;

public static class GetPrimaryAnalysis
{
    /// <param name="QuantileMethod">HF6 (the default) or HF7.</param>
    [AllowedToEveryRole] // who may read it, and by arm or by masked group, is the assignment gate's decision
    public sealed record Query(Guid TrialId, string? QuantileMethod) : IRequest<PrimaryAnalysisView>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() =>
            RuleFor(q => q.QuantileMethod).Must(m => m is null || Enum.TryParse<QuantileMethod>(m, ignoreCase: true, out _))
                .WithMessage("The quantile method is HF6 (Hyndman-Fan type 6, the default) or HF7 (R's default).");
    }

    /// <summary>
    /// Reads every randomized participant's MRSS total at the first and last visits that collect it from Day 0 on, and
    /// their adverse events, in two statements; puts them in the groups the caller may see; computes the analysis.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, AssignmentGate gate, TimeProvider clock) : IRequestHandler<Query, PrimaryAnalysisView>
    {
        public async Task<PrimaryAnalysisView> Handle(Query query, CancellationToken cancellationToken)
        {
            var trial = await visible.Trials.AsNoTracking().Include(t => t.Arms).Include(t => t.Visits)
                .SingleOrDefaultAsync(t => t.Id == query.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            var mrssVisits = trial.Visits.Where(v => v.Day >= 0 && v.Forms.Contains(BuiltInFormCodes.Mrss)).OrderBy(v => v.Day).ToList();
            if (mrssVisits.Count < 2)
            {
                throw new RuleViolationException(RuleCodes.NoPrimaryEndpoint, "The trial's schedule has no MRSS from Day 0 and at a later visit: there is no change to analyse.");
            }

            var (baseline, final) = (mrssVisits[0], mrssVisits[^1]);
            var groups = await gate.AnalysisGroupsAsync(trial, "primary analysis", cancellationToken);
            await db.SaveChangesAsync(cancellationToken); // the audit row of a read by arm
            var now = clock.GetUtcNow();
            var participants = await db.Participants.AsNoTracking()
                .Where(p => p.TrialId == trial.Id && p.RandomizationNumber != null)
                .Select(p => new
                {
                    p.Id,
                    p.Status,
                    Baseline = db.MrssAssessments.Where(m => m.ParticipantId == p.Id && db.Visits.Any(v => v.Id == m.VisitId && v.Code == baseline.Code))
                        .Select(m => (int?)m.Total).FirstOrDefault(),
                    Final = db.MrssAssessments.Where(m => m.ParticipantId == p.Id && db.Visits.Any(v => v.Id == m.VisitId && v.Code == final.Code))
                        .Select(m => (int?)m.Total).FirstOrDefault(),
                    FinalStatus = db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == final.Code).Select(v => (VisitStatus?)v.Status).FirstOrDefault(),
                })
                .ToListAsync(cancellationToken);
            var events = await db.AdverseEvents.AsNoTracking().Where(a => a.TrialId == trial.Id)
                .Select(a => new { a.ParticipantId, a.Report.Serious })
                .ToListAsync(cancellationToken);

            var population = participants.Where(p => p.Baseline is not null && p.Final is not null).ToList();
            var excluded = participants.Except(population)
                .GroupBy(p => p.Baseline is null ? $"No {baseline.Code} MRSS"
                    : p.Status == ParticipantStatus.Withdrawn ? $"Withdrawn before {final.Code}"
                    : p.Status == ParticipantStatus.Deceased ? $"Died before {final.Code}"
                    : p.FinalStatus == VisitStatus.Missed ? $"{final.Code} missed"
                    : p.FinalStatus == VisitStatus.Completed ? $"No {final.Code} MRSS entered"
                    : $"{final.Code} not reached yet")
                .Select(g => new ExclusionView(g.Key, g.Count()))
                .OrderByDescending(e => e.Count).ThenBy(e => e.Reason, StringComparer.Ordinal)
                .ToList();

            var method = query.QuantileMethod is { } named ? Enum.Parse<QuantileMethod>(named, ignoreCase: true) : QuantileMethod.HF6;
            var scores = groups.Names.ToDictionary(name => name, name => (IReadOnlyList<PairedScoresView>)[.. population
                .Where(p => groups.GroupOf.GetValueOrDefault(p.Id) == name)
                .Select(p => new PairedScoresView(p.Baseline!.Value, p.Final!.Value))
                .OrderBy(s => s.Baseline).ThenBy(s => s.Final)], StringComparer.Ordinal);
            var analysis = PrimaryAnalysis.Of(
                [.. groups.Names.Select(name => (name, (IReadOnlyList<PairedScores>)[.. scores[name].Select(s => new PairedScores(s.Baseline, s.Final))]))],
                method);
            var between = analysis.BetweenGroups;
            return new PrimaryAnalysisView(
                trial.Id,
                $"Change in MRSS total from {baseline.Name} to {final.Name}",
                baseline.Code,
                baseline.Name,
                final.Code,
                final.Name,
                method.ToString(),
                groups.ByArm,
                population.Count,
                new ExcludedView(participants.Count - population.Count, excluded),
                [.. analysis.Groups.Select(g =>
                {
                    var ofGroup = events.Where(e => groups.GroupOf.GetValueOrDefault(e.ParticipantId) == g.Group).ToList();
                    return new AnalysisGroupView(
                        g.Group, g.N, QuartilesView.From(g.Baseline), QuartilesView.From(g.Final), QuartilesView.From(g.Change), TestView.From(g.WithinGroup),
                        new AdverseEventCountsView(
                            ofGroup.Count, ofGroup.Select(e => e.ParticipantId).Distinct().Count(),
                            ofGroup.Count(e => e.Serious), ofGroup.Where(e => e.Serious).Select(e => e.ParticipantId).Distinct().Count()),
                        scores[g.Group]);
                })],
                between is null ? null : new BetweenGroupsView(between.Test.Statistic, between.Test.PValue, between.Test.Exact, between.Difference, between.Lower, between.Upper),
                now);
        }
    }
}

using Edc.Api.Common;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Mrss;

/// <summary>
/// One visit's MRSS with what is derived from it: the total of the 17 areas, the participant's baseline (the Day 0
/// assessment; null until it is recorded), the change from it, and whether the assessor differs from the baseline's.
/// <see cref="Version"/> counts the assessment's versions: the client sends it back in <c>If-Match</c> to change it.
/// </summary>
public sealed record MrssView(
    string VisitCode,
    DateOnly AssessedOn,
    string AssessorName,
    IReadOnlyDictionary<string, int> Scores,
    int Total,
    int? BaselineTotal,
    int? ChangeFromBaseline,
    bool AssessorDiffersFromBaseline,
    int Version) : IVersionedView
{
    /// <summary>The view of <paramref name="assessment"/> at <paramref name="visit"/>, its baseline read unless the visit is Day 0 itself.</summary>
    internal static async Task<MrssView> ForAsync(EdcDbContext db, ScheduledVisit visit, MrssAssessment assessment, CancellationToken cancellationToken)
    {
        var baseline = visit.Day == 0
            ? new Baseline(assessment.Total, assessment.AssessorName)
            : await db.MrssAssessments.AsNoTracking()
                .Where(m => m.ParticipantId == visit.ParticipantId && db.Visits.Any(v => v.Id == m.VisitId && v.Day == 0))
                .Select(m => new Baseline(m.Total, m.AssessorName))
                .FirstOrDefaultAsync(cancellationToken);
        return new MrssView(
            visit.Code,
            assessment.AssessedOn,
            assessment.AssessorName,
            assessment.Scores,
            assessment.Total,
            baseline?.Total,
            assessment.Total - baseline?.Total,
            baseline is not null && !SameAssessor(baseline.AssessorName, assessment.AssessorName),
            assessment.Version);
    }

    private static bool SameAssessor(string a, string b) => string.Equals(a.Trim(), b.Trim(), StringComparison.OrdinalIgnoreCase);

    private sealed record Baseline(int Total, string AssessorName);
}

using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>A summary of a visible trial and, for the closed view, the arms behind its masked groups (403 if not allowed).</summary>
internal sealed class SafetySummaryReader(EdcDbContext db, AssignmentGate gate, VisibleData visible)
{
    public async Task<(Trial Trial, SafetySummary Summary, IReadOnlyDictionary<string, ArmView>? Arms)> ReadAsync(
        Guid trialId, Guid summaryId, SummaryView view, CancellationToken cancellationToken)
    {
        var trial = await visible.Trials.AsNoTracking().Include(t => t.Arms).SingleOrDefaultAsync(t => t.Id == trialId, cancellationToken)
            ?? throw new NotFoundException("The trial");
        var summary = await db.SafetySummaries.AsNoTracking().SingleOrDefaultAsync(s => s.Id == summaryId && s.TrialId == trialId, cancellationToken)
            ?? throw new NotFoundException("The safety summary");
        if (view == SummaryView.Open)
        {
            return (trial, summary, null);
        }

        var arms = await gate.ArmsByGroupLabelAsync(trial, nameof(SafetySummary), summary.Id, cancellationToken)
            ?? throw new ForbiddenException(
                "The closed (unblinded) view is for the unblinded statistician, and for the data safety board once an unblinding request is approved.");
        await db.SaveChangesAsync(cancellationToken);
        return (trial, summary, arms);
    }
}

using Edc.Api.Common;
using Edc.Api.Features.Analysis.Report;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Analysis;

public static class GetPrimaryAnalysisReport
{
    /// <param name="QuantileMethod">HF6 (the default) or HF7, as for the analysis.</param>
    [AllowedToEveryRole] // the analysis it renders is read through GetPrimaryAnalysis: the assignment gate decides there
    public sealed record Query(Guid TrialId, string? QuantileMethod) : IRequest<string>;

    /// <summary>
    /// The analysis, read by its own query (the same validation, gate and audit), as a self-contained HTML document
    /// stamped with who produced it and the audit trail's head.
    /// </summary>
    internal sealed class Handler(IMediator mediator, EdcDbContext db, VisibleData visible, CurrentUser user, TimeProvider clock) : IRequestHandler<Query, string>
    {
        public async Task<string> Handle(Query query, CancellationToken cancellationToken)
        {
            var analysis = await mediator.Send(new GetPrimaryAnalysis.Query(query.TrialId, query.QuantileMethod), cancellationToken);
            var trial = await visible.Trials.AsNoTracking().Where(t => t.Id == query.TrialId).Select(t => t.Code + " — " + t.Title).SingleAsync(cancellationToken);
            var producedBy = await db.Users.AsNoTracking().Where(u => u.Id == user.Id).Select(u => u.DisplayName + " (" + u.Email + ")").SingleAsync(cancellationToken);

            // Read after the analysis saved its own audit row (a reading by arm), so the head is the trail including this reading.
            var head = await db.AuditEntries.AsNoTracking().OrderByDescending(a => a.Sequence)
                .Select(a => new { a.Sequence, a.Hash }).FirstOrDefaultAsync(cancellationToken);
            return PrimaryAnalysisReport.Render(new PrimaryAnalysisReport.Document(
                analysis, trial, producedBy, clock.GetUtcNow(), head?.Sequence, head?.Hash));
        }
    }
}

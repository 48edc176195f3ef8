using Edc.Api.Features.SafetySummaries.Report;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.SafetySummaries;

public static class GetSafetySummaryReport
{
    [AllowedRoles(Roles.DsmbMember, Roles.UnblindedStatistician)]
    public sealed record Query(Guid TrialId, Guid SummaryId, string? View) : IRequest<string>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.View).MustBeAView();
    }

    /// <summary>The summary as a self-contained HTML page (inline CSS and SVG, no script, prints on A4).</summary>
    internal sealed class Handler(SafetySummaryReader reader, EdcDbContext db) : IRequestHandler<Query, string>
    {
        public async Task<string> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, summary, arms) = await reader.ReadAsync(query.TrialId, query.SummaryId, SummaryViews.Parse(query.View), cancellationToken);
            var generatedBy = summary.GeneratedBy is { } userId
                ? await db.Users.Where(u => u.Id == userId).Select(u => u.DisplayName + " (" + u.Email + ")").SingleOrDefaultAsync(cancellationToken)
                : null;
            return SafetySummaryReport.Render(trial, summary, SummaryContent.Parse(summary.Content), arms, generatedBy);
        }
    }
}

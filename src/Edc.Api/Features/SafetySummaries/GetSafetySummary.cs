using System.Text.Json;
using Edc.Api.Security;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.SafetySummaries;

public static class GetSafetySummary
{
    [AllowedRoles(Roles.DsmbMember, Roles.UnblindedStatistician)]
    public sealed record Query(Guid TrialId, Guid SummaryId, string? View) : IRequest<SafetySummaryView>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.View).MustBeAView();
    }

    internal sealed class Handler(SafetySummaryReader reader) : IRequestHandler<Query, SafetySummaryView>
    {
        public async Task<SafetySummaryView> Handle(Query query, CancellationToken cancellationToken)
        {
            var view = SummaryViews.Parse(query.View);
            var (_, s, arms) = await reader.ReadAsync(query.TrialId, query.SummaryId, view, cancellationToken);
            using var content = JsonDocument.Parse(s.Content);
            return new SafetySummaryView(
                s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256, view.ToString().ToLowerInvariant(),
                content.RootElement.Clone(),
                arms?.OrderBy(a => a.Key, StringComparer.Ordinal).Select(a => new UnblindedColumn(a.Key, a.Value.Code, a.Value.Name)).ToList());
        }
    }
}

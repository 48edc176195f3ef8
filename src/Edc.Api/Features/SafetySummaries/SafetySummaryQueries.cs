using System.Text.Json;
using Edc.Api.Blinding;
using Edc.Api.Common;
using Edc.Api.Features.SafetySummaries.Report;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>The <c>view</c> query parameter: <c>open</c> (the default) or <c>closed</c>, in any case.</summary>
internal static class SummaryViews
{
    public static SummaryView Parse(string? view) =>
        string.Equals(view, "closed", StringComparison.OrdinalIgnoreCase) ? SummaryView.Closed : SummaryView.Open;

    public static IRuleBuilderOptions<T, string?> MustBeAView<T>(this IRuleBuilder<T, string?> rule) =>
        rule.Must(v => v is null || v.Equals("open", StringComparison.OrdinalIgnoreCase) || v.Equals("closed", StringComparison.OrdinalIgnoreCase))
            .WithMessage("The view is 'open' (masked groups, the default) or 'closed' (by real arm).");
}

public static class ListSafetySummaries
{
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<PagedList<SafetySummaryInfo>>;

    /// <summary>A trial's summaries, newest data cut-off first, without their content.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, PagedList<SafetySummaryInfo>>
    {
        public async Task<PagedList<SafetySummaryInfo>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            return await db.SafetySummaries.AsNoTracking()
                .Where(s => s.TrialId == query.TrialId)
                .OrderByDescending(s => s.DataCutoff).ThenByDescending(s => s.Id)
                .Select(s => new SafetySummaryInfo(s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256))
                .ToPageAsync(query.Page, cancellationToken);
        }
    }
}

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

public static class GetSafetySummary
{
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

public static class GetSafetySummaryReport
{
    public sealed record Query(Guid TrialId, Guid SummaryId, string? View) : IRequest<string>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator() => RuleFor(q => q.View).MustBeAView();
    }

    /// <summary>The summary as a self-contained HTML page (inline CSS and SVG, no script, prints on A4).</summary>
    internal sealed class Handler(SafetySummaryReader reader) : IRequestHandler<Query, string>
    {
        public async Task<string> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, summary, arms) = await reader.ReadAsync(query.TrialId, query.SummaryId, SummaryViews.Parse(query.View), cancellationToken);
            return SafetySummaryReport.Render(trial, summary, SummaryContent.Parse(summary.Content), arms);
        }
    }
}

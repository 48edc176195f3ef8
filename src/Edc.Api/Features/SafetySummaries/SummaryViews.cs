using FluentValidation;

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

using System.Text;
using static Edc.Api.Features.Analysis.Report.JournalNumbers;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.Analysis.Report;

/// <summary>
/// The analysis as a journal's table: a column per group (its size in the header), a row per figure, the between-group
/// test spanning the groups, then the adverse events of each group's randomized participants.
/// </summary>
internal static class PrimaryAnalysisTable
{
    public static void Write(StringBuilder html, PrimaryAnalysisView analysis)
    {
        var groups = analysis.Groups;
        html.Append("<table class=\"journal\"><caption>").Append(E(analysis.Endpoint)).Append("</caption>")
            .Append("<thead><tr><th scope=\"col\"><span class=\"visually-hidden\">Measure</span></th>");
        foreach (var group in groups)
        {
            html.Append("<th scope=\"col\" class=\"num\">").Append(E(group.Name)).Append("<br><span class=\"sub\">n = ").Append(group.N.ToString(Inv)).Append("</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        Row(html, $"MRSS at baseline ({analysis.BaselineVisitName}), median (IQR)", groups, g => MedianIqr(g.Baseline));
        Row(html, $"MRSS at {analysis.FinalVisitName}, median (IQR)", groups, g => MedianIqr(g.Final));
        Row(html, "Change, median (IQR)", groups, g => MedianIqr(g.Change));
        Row(html, "Within-group P (Wilcoxon signed-rank)", groups, g => g.WithinGroup is { } t ? Test(t.PValue, t.Exact, "V", t.Statistic) : "—");

        var between = analysis.BetweenGroups;
        Spanning(html, "Between-group P for the change (Wilcoxon rank-sum)", groups.Count, between is null ? "—" : Test(between.PValue, between.Exact, "W", between.Statistic));
        Spanning(
            html,
            groups is [var first, var second] ? $"Hodges-Lehmann difference in change, {first.Name} {Minus} {second.Name} (95% CI)" : "Hodges-Lehmann difference in change (95% CI)",
            groups.Count,
            between is null ? "—" : $"{Number(between.Difference)} ({Number(between.Lower)}, {Number(between.Upper)})");

        html.Append("<tr class=\"section\"><th scope=\"colgroup\" colspan=\"").Append((groups.Count + 1).ToString(Inv)).Append("\">Adverse events, all randomized participants</th></tr>");
        Row(html, "Events", groups, g => g.AdverseEvents.Events.ToString(Inv));
        Row(html, "Participants with ≥1 event", groups, g => g.AdverseEvents.Participants.ToString(Inv));
        Row(html, "Serious events", groups, g => g.AdverseEvents.SeriousEvents.ToString(Inv));
        Row(html, "Participants with ≥1 serious event", groups, g => g.AdverseEvents.ParticipantsWithSerious.ToString(Inv));
        html.Append("</tbody></table>");
    }

    private static void Row(StringBuilder html, string label, IReadOnlyList<AnalysisGroupView> groups, Func<AnalysisGroupView, string> cell)
    {
        html.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th>");
        foreach (var group in groups)
        {
            html.Append("<td class=\"num\">").Append(E(cell(group))).Append("</td>");
        }

        html.Append("</tr>");
    }

    private static void Spanning(StringBuilder html, string label, int columns, string value) =>
        html.Append("<tr><th scope=\"row\">").Append(E(label)).Append("</th><td class=\"num spanning\" colspan=\"").Append(Math.Max(1, columns).ToString(Inv)).Append("\">")
            .Append(E(value)).Append("</td></tr>");
}

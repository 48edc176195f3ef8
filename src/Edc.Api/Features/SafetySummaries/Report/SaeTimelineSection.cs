using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;
using static Edc.Api.Features.SafetySummaries.Report.ReportSvg;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>9. Serious adverse events over time: a lane of dots per group, and its table by month of onset.</summary>
internal sealed class SaeTimelineSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        // Over more than half a year, a dot per day would crowd the lanes: the dots are then weeks (from Monday).
        var stored = ctx.Content.SeriousEventTimeline;
        var weekly = stored.Count > 0 && stored.Max(d => d.OnsetDate.DayNumber) - stored.Min(d => d.OnsetDate.DayNumber) > 183;
        var days = weekly
            ? [.. stored.GroupBy(d => (d.Column, Week: d.OnsetDate.AddDays(-(((int)d.OnsetDate.DayOfWeek + 6) % 7))))
                .Select(g => new SaeDay(g.Key.Column, g.Key.Week, g.Sum(d => d.Events), g.Sum(d => d.Fatal)))
                .OrderBy(d => d.OnsetDate)]
            : stored;
        var series = ctx.Groups.Count > 0 ? ctx.Groups : [SummaryContent.Pooled];
        html.Append("<section class=\"figure\"><h2>9. Serious adverse events over time</h2>")
            .Append("<p class=\"note\">Each dot is a ").Append(weekly ? "week" : "day").Append(" with serious events by onset date, its area proportional to their number; a ring marks one with a fatal event.</p>");
        const double left = 190, right = 30, top = 30, lane = 40, width = 720;
        var height = top + series.Count * lane + 40;
        var plotW = width - left - right;
        SvgOpen(html, "chart-sae-timeline", width, height, "Serious adverse events over time by group");
        Legend(html, ctx, series, left, 14);
        if (days.Count == 0)
        {
            html.Append(Inv, $"<text class=\"label\" x=\"{width / 2}\" y=\"{top + lane / 2}\" text-anchor=\"middle\">No serious adverse events.</text></svg>");
        }
        else
        {
            var first = days.Min(d => d.OnsetDate).DayNumber;
            var last = Math.Max(days.Max(d => d.OnsetDate).DayNumber, first + 1);
            var most = days.Max(d => d.Events);
            double X(DateOnly date) => left + plotW * (date.DayNumber - first) / (last - first);
            for (var i = 0; i < series.Count; i++)
            {
                var y = top + i * lane + lane / 2;
                html.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{y}\" x2=\"{width - right}\" y2=\"{y}\"/>")
                    .Append(Inv, $"<text class=\"label\" x=\"{left - 8}\" y=\"{y + 3}\" text-anchor=\"end\">").Append(E(Shorten(ctx.Names[series[i]], 30))).Append("</text>");
            }

            for (var tick = 0; tick <= 4; tick++)
            {
                var date = DateOnly.FromDayNumber(first + (last - first) * tick / 4);
                html.Append(Inv, $"<text class=\"tick\" x=\"{X(date):0.#}\" y=\"{height - 14}\" text-anchor=\"middle\">{date:yyyy-MM-dd}</text>");
            }

            foreach (var day in days)
            {
                var i = IndexOf(series, day.Column);
                if (i < 0)
                {
                    continue;
                }

                var y = top + i * lane + lane / 2;
                var r = 3 + 9 * Math.Sqrt((double)day.Events / most);
                html.Append(Inv, $"<circle class=\"point sae\" data-series=\"{E(day.Column)}\" data-value=\"{day.Events}\" cx=\"{X(day.OnsetDate):0.#}\" cy=\"{y}\" r=\"{r:0.#}\" fill=\"{ctx.Colors[day.Column]}\"")
                    .Append(day.Fatal > 0 ? " stroke=\"#000\" stroke-width=\"2\"" : string.Empty).Append("><title>")
                    .Append(E(F($"{ctx.Names[day.Column]}, {(weekly ? "week of " : string.Empty)}{day.OnsetDate:yyyy-MM-dd}: {day.Events} serious, {day.Fatal} fatal"))).Append("</title></circle>");
            }

            html.Append("</svg>");
        }

        // The figure's table: by month of onset, so it stays short however long the trial runs.
        var months = days.GroupBy(d => new DateOnly(d.OnsetDate.Year, d.OnsetDate.Month, 1)).OrderBy(g => g.Key).ToList();
        html.Append("<table><thead><tr><th>Month of onset</th>");
        foreach (var s in series)
        {
            html.Append("<th>").Append(E(ctx.Names[s])).Append("<br><span class=\"sub\">serious (fatal)</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        if (months.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(series.Count + 1).Append("\">No serious adverse events.</td></tr>");
        }

        foreach (var month in months)
        {
            html.Append("<tr><td>").Append(month.Key.ToString("yyyy-MM", Inv)).Append("</td>");
            foreach (var s in series)
            {
                var inColumn = month.Where(d => d.Column == s).ToList();
                html.Append("<td class=\"num\">").Append(inColumn.Sum(d => d.Events)).Append(" (").Append(inColumn.Sum(d => d.Fatal)).Append(")</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }
}

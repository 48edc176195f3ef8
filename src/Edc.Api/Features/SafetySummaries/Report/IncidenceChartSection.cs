using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;
using static Edc.Api.Features.SafetySummaries.Report.ReportSvg;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>3. The adverse event incidence chart: any event, any serious event and the most frequent terms, by group.</summary>
internal sealed class IncidenceChartSection : IReportSection
{
    private const int TopTerms = 12;

    public void Write(StringBuilder html, ReportContext ctx)
    {
        var series = ctx.ChartSeries;
        var participants = ctx.Content.Participants.ToDictionary(p => p.Column, StringComparer.Ordinal);
        var categories = new List<(string Label, Func<string, int> Count)>
        {
            ("Any adverse event", c => participants.TryGetValue(c, out var p) ? p.WithAdverseEvent : 0),
            ("Any serious adverse event", c => participants.TryGetValue(c, out var p) ? p.WithSeriousAdverseEvent : 0),
        };
        foreach (var term in ctx.Content.AdverseEventsByTerm.Take(TopTerms))
        {
            var cells = term.Counts.ToDictionary(c => c.Column, c => c.Participants, StringComparer.Ordinal);
            categories.Add((term.Term, c => cells.GetValueOrDefault(c)));
        }

        const double left = 190, right = 90, top = 30, barHeight = 9, gap = 8, width = 720;
        var bandHeight = series.Count * barHeight + gap;
        var height = top + categories.Count * bandHeight + 30;
        var plot = width - left - right;
        var percents = categories.SelectMany(cat => series.Select(s => Percent(cat.Count(s), ctx.Randomized.GetValueOrDefault(s)))).ToList();
        var max = NiceMax(percents.Count == 0 ? 0 : percents.Max(), 10);

        html.Append("<section class=\"figure\"><h2>3. Adverse event incidence by group</h2>")
            .Append("<p class=\"note\">Participants with at least one event, as a percentage of the group's randomized participants; the ")
            .Append(TopTerms.ToString(Inv)).Append(" most frequent terms (pooled). Every term is in table 4.</p>");
        SvgOpen(html, "chart-incidence", width, height, "Adverse event incidence by group");
        Legend(html, ctx, series, left, 14);
        for (var tick = 0; tick <= 5; tick++)
        {
            var value = max * tick / 5;
            var x = left + plot * tick / 5;
            html.Append(Inv, $"<line class=\"grid\" x1=\"{x:0.#}\" y1=\"{top - 4}\" x2=\"{x:0.#}\" y2=\"{height - 26:0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{x:0.#}\" y=\"{height - 12:0.#}\" text-anchor=\"middle\">{value:0.#}%</text>");
        }

        for (var i = 0; i < categories.Count; i++)
        {
            var (label, count) = categories[i];
            var y0 = top + i * bandHeight;
            html.Append(Inv, $"<text class=\"label\" x=\"{left - 6}\" y=\"{y0 + series.Count * barHeight / 2 + 3:0.#}\" text-anchor=\"end\">")
                .Append(E(Shorten(label, 32))).Append("</text>");
            for (var j = 0; j < series.Count; j++)
            {
                var n = count(series[j]);
                var pct = Percent(n, ctx.Randomized.GetValueOrDefault(series[j]));
                var w = max == 0 ? 0 : plot * pct / max;
                var y = y0 + j * barHeight;
                html.Append(Inv, $"<rect class=\"bar\" data-series=\"{E(series[j])}\" data-value=\"{pct:0.##}\" x=\"{left}\" y=\"{y:0.#}\" width=\"{w:0.##}\" height=\"{barHeight - 1}\" fill=\"{ctx.Colors[series[j]]}\">")
                    .Append("<title>").Append(E($"{label}, {ctx.Names[series[j]]}: {n} ({pct:0.#}%)")).Append("</title></rect>")
                    .Append(Inv, $"<text class=\"value\" x=\"{left + w + 3:0.#}\" y=\"{y + barHeight - 2:0.#}\">{n} ({pct:0.#}%)</text>");
            }
        }

        html.Append("</svg></section>");
    }
}

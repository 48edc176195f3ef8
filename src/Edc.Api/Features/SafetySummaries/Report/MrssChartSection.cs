using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;
using static Edc.Api.Features.SafetySummaries.Report.ReportSvg;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>7. The MRSS chart: each group's median over the scheduled visits, with its interquartile band.</summary>
internal sealed class MrssChartSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        var visits = ctx.Content.MrssByVisit;
        var series = ctx.ChartSeries;
        html.Append("<section class=\"figure\"><h2>7. MRSS over time by group</h2>")
            .Append("<p class=\"note\">Median modified Rodnan skin score (0–51) at each scheduled visit; the band is the interquartile range.</p>");
        const double left = 50, right = 20, top = 30, bottom = 40, width = 720, height = 300;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        SvgOpen(html, "chart-mrss", width, height, "MRSS median over time by group");
        Legend(html, ctx, series, left, 14);
        if (visits.Count == 0)
        {
            html.Append(Inv, $"<text class=\"label\" x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\">No MRSS assessments yet.</text></svg></section>");
            return;
        }

        var minDay = visits.Min(v => v.Day);
        var maxDay = Math.Max(visits.Max(v => v.Day), minDay + 1);
        var highest = visits.SelectMany(v => v.Counts).Select(c => c.Q3 ?? 0).DefaultIfEmpty(0).Max();
        var yMax = NiceMax(highest, 5);
        double X(int day) => left + plotW * (day - minDay) / (maxDay - minDay);
        double Y(double value) => top + plotH - (yMax == 0 ? 0 : plotH * value / yMax);

        for (var tick = 0; tick <= 5; tick++)
        {
            var value = yMax * tick / 5;
            html.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{Y(value):0.#}\" x2=\"{width - right}\" y2=\"{Y(value):0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{Y(value) + 3:0.#}\" text-anchor=\"end\">{value:0.#}</text>");
        }

        foreach (var visit in visits)
        {
            html.Append(Inv, $"<text class=\"tick\" x=\"{X(visit.Day):0.#}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">").Append(E(visit.VisitCode)).Append("</text>")
                .Append(Inv, $"<text class=\"tick sub\" x=\"{X(visit.Day):0.#}\" y=\"{height - bottom + 26}\" text-anchor=\"middle\">day {visit.Day}</text>");
        }

        html.Append(Inv, $"<text class=\"axis\" x=\"12\" y=\"{top + plotH / 2}\" transform=\"rotate(-90 12 {top + plotH / 2})\" text-anchor=\"middle\">MRSS</text>");
        foreach (var s in series)
        {
            var points = visits
                .Select(v => (v.Day, Cell: v.Counts.FirstOrDefault(c => c.Column == s)))
                .Where(p => p.Cell is { N: > 0, Median: not null })
                .Select(p => (p.Day, Median: p.Cell!.Median!.Value, Q1: p.Cell.Q1 ?? p.Cell.Median!.Value, Q3: p.Cell.Q3 ?? p.Cell.Median!.Value, p.Cell.N))
                .ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var band = string.Join(' ', points.Select(p => F($"{X(p.Day):0.#},{Y(p.Q3):0.#}")).Concat(points.AsEnumerable().Reverse().Select(p => F($"{X(p.Day):0.#},{Y(p.Q1):0.#}"))));
            html.Append("<polygon class=\"iqr\" data-series=\"").Append(E(s)).Append("\" points=\"").Append(band).Append("\" fill=\"").Append(ctx.Colors[s]).Append("\"/>");
            html.Append("<polyline class=\"line\" data-series=\"").Append(E(s)).Append("\" points=\"")
                .Append(string.Join(' ', points.Select(p => F($"{X(p.Day):0.#},{Y(p.Median):0.#}")))).Append("\" stroke=\"").Append(ctx.Colors[s]).Append("\"/>");
            foreach (var p in points)
            {
                html.Append(Inv, $"<circle class=\"point\" data-series=\"{E(s)}\" data-value=\"{p.Median:0.##}\" cx=\"{X(p.Day):0.#}\" cy=\"{Y(p.Median):0.#}\" r=\"3.5\" fill=\"{ctx.Colors[s]}\">")
                    .Append("<title>").Append(E(F($"{ctx.Names[s]}, day {p.Day}: median {p.Median:0.#} (IQR {p.Q1:0.#}–{p.Q3:0.#}), n={p.N}"))).Append("</title></circle>");
            }
        }

        html.Append("</svg></section>");
    }
}

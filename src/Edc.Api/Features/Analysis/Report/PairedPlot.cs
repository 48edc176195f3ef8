using System.Text;
using static Edc.Api.Features.Analysis.Report.JournalNumbers;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;
using static Edc.Api.Features.SafetySummaries.Report.ReportSvg;

namespace Edc.Api.Features.Analysis.Report;

/// <summary>
/// A group's paired plot: each participant's MRSS at the baseline visit joined by a line to the same participant's at
/// the final visit, the medians as a thicker dashed line, on an MRSS axis shared by the groups so they compare at a glance.
/// </summary>
internal static class PairedPlot
{
    private static readonly string[] Palette = ["#1f5fa8", "#c8501e", "#2a8c5a", "#7a4fa3"];

    /// <summary>The top of the MRSS axis for every group's plot: the highest score rounded up to ten.</summary>
    public static double AxisMaximum(PrimaryAnalysisView analysis) =>
        NiceMax(analysis.Groups.SelectMany(g => g.Scores).SelectMany(s => new[] { s.Baseline, s.Final }).DefaultIfEmpty(0).Max(), 10);

    public static void Write(StringBuilder html, PrimaryAnalysisView analysis, int index, double yMax)
    {
        var group = analysis.Groups[index];
        var color = Palette[index % Palette.Length];
        const double width = 340, height = 310, left = 46, right = 24, top = 34, bottom = 40;
        double xBaseline = left + 50, xFinal = width - right - 50;
        double Y(double value) => top + (height - top - bottom) * (1 - (value / yMax));

        var title = $"{group.Name}: MRSS at {analysis.BaselineVisitName} and at {analysis.FinalVisitName}, each participant";
        SvgOpen(html, "paired-plot-" + (index + 1).ToString(Inv), width, height, title);
        html.Append("<desc>").Append(E(Description(analysis, group))).Append("</desc>")
            .Append(Inv, $"<text class=\"plot-title\" x=\"{left}\" y=\"16\">").Append(E(Shorten(group.Name, 44))).Append("</text>");

        var step = yMax <= 30 ? 5 : 10;
        for (var tick = 0; tick <= yMax; tick += step)
        {
            html.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{Y(tick):0.#}\" x2=\"{width - right}\" y2=\"{Y(tick):0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{Y(tick) + 3:0.#}\" text-anchor=\"end\">{tick}</text>");
        }

        html.Append(Inv, $"<line class=\"axis-line\" x1=\"{left}\" y1=\"{top}\" x2=\"{left}\" y2=\"{height - bottom}\"/>")
            .Append(Inv, $"<text class=\"axis\" x=\"12\" y=\"{(top + height - bottom) / 2:0.#}\" transform=\"rotate(-90 12 {(top + height - bottom) / 2:0.#})\" text-anchor=\"middle\">MRSS</text>")
            .Append(Inv, $"<text class=\"label\" x=\"{xBaseline:0.#}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">").Append(E(Shorten(analysis.BaselineVisitName, 18))).Append("</text>")
            .Append(Inv, $"<text class=\"label\" x=\"{xFinal:0.#}\" y=\"{height - bottom + 16}\" text-anchor=\"middle\">").Append(E(Shorten(analysis.FinalVisitName, 18))).Append("</text>")
            .Append(Inv, $"<text class=\"tick\" x=\"{(xBaseline + xFinal) / 2:0.#}\" y=\"{height - bottom + 32}\" text-anchor=\"middle\">n = {group.N}</text>");

        if (group.Scores.Count == 0)
        {
            html.Append(Inv, $"<text class=\"label\" x=\"{(xBaseline + xFinal) / 2:0.#}\" y=\"{(top + height - bottom) / 2:0.#}\" text-anchor=\"middle\">No participant with both scores.</text></svg>");
            return;
        }

        foreach (var pair in group.Scores)
        {
            html.Append("<g class=\"pair\"><title>").Append(E($"{pair.Baseline} to {pair.Final}")).Append("</title>")
                .Append(Inv, $"<line x1=\"{xBaseline:0.#}\" y1=\"{Y(pair.Baseline):0.#}\" x2=\"{xFinal:0.#}\" y2=\"{Y(pair.Final):0.#}\" stroke=\"{color}\"/>")
                .Append(Inv, $"<circle cx=\"{xBaseline:0.#}\" cy=\"{Y(pair.Baseline):0.#}\" r=\"3.5\" fill=\"{color}\"/>")
                .Append(Inv, $"<circle cx=\"{xFinal:0.#}\" cy=\"{Y(pair.Final):0.#}\" r=\"3.5\" fill=\"{color}\"/></g>");
        }

        if (group is { Baseline: { } baseline, Final: { } final })
        {
            html.Append(Inv, $"<line class=\"median\" x1=\"{xBaseline:0.#}\" y1=\"{Y(baseline.Median):0.#}\" x2=\"{xFinal:0.#}\" y2=\"{Y(final.Median):0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{xFinal + 8:0.#}\" y=\"{Y(final.Median) + 3:0.#}\">median</text>");
        }

        html.Append("</svg>");
    }

    /// <summary>What the plot shows, in words, for those who cannot see it.</summary>
    private static string Description(PrimaryAnalysisView analysis, AnalysisGroupView group)
    {
        if (group.Scores.Count == 0)
        {
            return $"No participant of {group.Name} has MRSS at both visits.";
        }

        var fell = group.Scores.Count(s => s.Final < s.Baseline);
        var rose = group.Scores.Count(s => s.Final > s.Baseline);
        return $"{group.N} participants, each a line from their MRSS at {analysis.BaselineVisitName} to their MRSS at {analysis.FinalVisitName}: "
            + $"{fell} fell, {rose} rose, {group.Scores.Count - fell - rose} did not change. "
            + $"Median {Number(group.Baseline!.Median)} at {analysis.BaselineVisitName} and {Number(group.Final!.Median)} at {analysis.FinalVisitName}.";
    }
}

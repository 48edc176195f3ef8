using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.Analysis.Report;

/// <summary>
/// The analysis as HTML, written once for the report and the web page alike: what the groups are, the table, the paired
/// plots, the population with the excluded, and the methods. Every text is HTML-encoded; nothing in it runs or loads.
/// </summary>
internal static class PrimaryAnalysisHtml
{
    public static string Body(PrimaryAnalysisView analysis)
    {
        var html = new StringBuilder(16 * 1024);
        Write(html, analysis);
        return html.ToString();
    }

    public static void Write(StringBuilder html, PrimaryAnalysisView analysis)
    {
        html.Append("<p class=\"groups-note\">").Append(analysis.ByArm
            ? "Groups are the treatment arms. Each reading of the analysis by arm is recorded in the audit trail."
            : $"Groups are masked ({E(string.Join(", ", analysis.Groups.Select(g => g.Name)))}): which arm a group stands for is not shown.").Append("</p>");

        PrimaryAnalysisTable.Write(html, analysis);

        html.Append("<section class=\"figure\" aria-labelledby=\"paired-plots-heading\"><h2 id=\"paired-plots-heading\">Each participant's MRSS</h2>")
            .Append("<p class=\"note\">A line per participant from ").Append(E(analysis.BaselineVisitName)).Append(" to ").Append(E(analysis.FinalVisitName))
            .Append("; the dashed line joins the medians.</p><div class=\"paired-plots\">");
        var yMax = PairedPlot.AxisMaximum(analysis);
        for (var i = 0; i < analysis.Groups.Count; i++)
        {
            PairedPlot.Write(html, analysis, i, yMax);
        }

        html.Append("</div></section>");

        html.Append("<section aria-labelledby=\"population-heading\"><h2 id=\"population-heading\">Population</h2><p>")
            .Append(F($"{analysis.Population} of {analysis.Population + analysis.Excluded.Count} randomized participants have MRSS at both "))
            .Append(E(analysis.BaselineVisitName)).Append(" and ").Append(E(analysis.FinalVisitName)).Append(" and are analysed; ")
            .Append(analysis.Excluded.Count switch
            {
                0 => "none is excluded.</p>",
                1 => "1 is excluded:</p><ul class=\"excluded\">",
                var n => F($"{n} are excluded:</p><ul class=\"excluded\">"),
            });
        if (analysis.Excluded.Count > 0)
        {
            foreach (var reason in analysis.Excluded.Reasons)
            {
                html.Append("<li>").Append(E(reason.Reason)).Append(": ").Append(reason.Count.ToString(Inv)).Append("</li>");
            }

            html.Append("</ul>");
        }

        html.Append("</section><section aria-labelledby=\"methods-heading\"><h2 id=\"methods-heading\">Methods</h2><ul class=\"methods\">")
            .Append("<li>Quantile method: ").Append(analysis.QuantileMethod == nameof(Domain.Analysis.QuantileMethod.HF7)
                ? "Hyndman-Fan type 7 (HF7, R's default)"
                : "Hyndman-Fan type 6 (HF6, the (n+1)p rule of SPSS, Minitab and GraphPad Prism)")
            .Append("; IQR is the first and the third quartile.</li>")
            .Append("<li>Within each group, a Wilcoxon signed-rank test of the change against zero; between the groups, a Wilcoxon rank-sum ")
            .Append("(Mann-Whitney) test of the change, with the Hodges-Lehmann estimate of the difference (first group less second) and its ")
            .Append("95% confidence interval. P values are two-sided, exact where the data allow and otherwise from the normal approximation, as each says.</li>")
            .Append("<li>Adverse events are counted over every randomized participant of a group, analysed or not.</li></ul></section>");
    }
}

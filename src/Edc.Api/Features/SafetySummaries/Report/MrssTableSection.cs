using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>8. MRSS by visit: n, median and quartiles of each column.</summary>
internal sealed class MrssTableSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<section><h2>8. MRSS by visit</h2><table><thead><tr><th>Visit</th><th>Day</th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("<br><span class=\"sub\">n · median (Q1–Q3)</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        if (ctx.Content.MrssByVisit.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(ctx.Columns.Count + 2).Append("\">No MRSS assessments.</td></tr>");
        }

        foreach (var visit in ctx.Content.MrssByVisit)
        {
            html.Append("<tr><td>").Append(E(visit.VisitCode)).Append(" · ").Append(E(visit.VisitName)).Append("</td><td class=\"num\">").Append(visit.Day).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                var cell = visit.Counts.FirstOrDefault(x => x.Column == c);
                html.Append("<td class=\"num\">").Append(cell is { N: > 0, Median: { } m }
                    ? E(F($"{cell.N} · {m:0.#} ({cell.Q1:0.#}–{cell.Q3:0.#})"))
                    : "0 · —").Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }
}

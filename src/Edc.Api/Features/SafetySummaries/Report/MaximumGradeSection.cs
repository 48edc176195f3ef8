using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>5. Participants by their maximum CTCAE grade, by column.</summary>
internal sealed class MaximumGradeSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<section><h2>5. Participants by maximum grade (CTCAE)</h2><table><thead><tr><th>Maximum grade</th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var grade in ctx.Content.MaximumGrade)
        {
            var cells = grade.Counts.ToDictionary(c => c.Column, c => c.Participants, StringComparer.Ordinal);
            html.Append("<tr><td>Grade ").Append(grade.Grade).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                html.Append("<td class=\"num\">").Append(E(CountPercent(cells.GetValueOrDefault(c), ctx.Randomized.GetValueOrDefault(c)))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }
}

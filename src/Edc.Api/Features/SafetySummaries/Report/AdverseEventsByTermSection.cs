using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>4. Adverse events by term: events and participants with each term, by column.</summary>
internal sealed class AdverseEventsByTermSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<section><h2>4. Adverse events by term</h2><p class=\"note\">Events, and participants with the term (% of randomized). Terms as entered, grouped ignoring case.</p>")
            .Append("<table><thead><tr><th>Term</th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("<br><span class=\"sub\">events / participants (%)</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        if (ctx.Content.AdverseEventsByTerm.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(ctx.Columns.Count + 1).Append("\">No adverse events.</td></tr>");
        }

        foreach (var term in ctx.Content.AdverseEventsByTerm)
        {
            var cells = term.Counts.ToDictionary(c => c.Column, StringComparer.Ordinal);
            html.Append("<tr><td>").Append(E(term.Term)).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                var cell = cells.GetValueOrDefault(c);
                html.Append("<td class=\"num\">").Append(cell?.Events ?? 0).Append(" / ")
                    .Append(E(CountPercent(cell?.Participants ?? 0, ctx.Randomized.GetValueOrDefault(c)))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }
}

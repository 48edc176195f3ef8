using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>6. Expedited reporting timeliness: the sponsor's and the regulators' reports, by column.</summary>
internal sealed class ReportingTimelinessSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<section><h2>6. Expedited reporting timeliness</h2><p class=\"note\">Serious events to the sponsor within 24 hours of ")
            .Append("awareness; SUSARs to the regulators within 7 days (fatal or life-threatening) or 15 days. Overdue and pending are as at the data cut-off.</p>")
            .Append("<table><thead><tr><th>Report</th><th>Column</th><th>Required</th><th>On time</th><th>Late</th><th>Overdue, not sent</th>")
            .Append("<th>Pending, within deadline</th><th>Median hours to report</th></tr></thead><tbody>");
        foreach (var (title, clock) in new (string, Func<ReportingCounts, ReportingClockCounts>)[] { ("Sponsor (SAE)", r => r.Sponsor), ("Regulators (SUSAR)", r => r.Regulator) })
        {
            foreach (var row in ctx.Content.SeriousEventReporting)
            {
                var c = clock(row);
                html.Append("<tr><td>").Append(E(title)).Append("</td><td>").Append(E(ctx.Names[row.Column])).Append("</td>")
                    .Append("<td class=\"num\">").Append(c.Required).Append("</td><td class=\"num\">").Append(c.OnTime).Append("</td>")
                    .Append("<td class=\"num\">").Append(c.Late).Append("</td><td class=\"num").Append(c.Overdue > 0 ? " alert" : string.Empty).Append("\">").Append(c.Overdue).Append("</td>")
                    .Append("<td class=\"num\">").Append(c.Pending).Append("</td><td class=\"num\">")
                    .Append(c.MedianHoursToReport is { } h ? h.ToString("0.0", Inv) : "—").Append("</td></tr>");
            }
        }

        html.Append("</tbody></table></section>");
    }
}

using System.Text;
using Edc.Api.Blinding;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>
/// Renders a safety summary as one self-contained HTML page: inline CSS, inline SVG charts (AE incidence by group,
/// MRSS median over time by group with its interquartile band, SAE timeline), a table for every figure, no script and
/// no external resource; it prints on A4. Every text is HTML-encoded (terms are typed by sites). The open report names
/// masked groups only; given the arms (the gate's closed view), it names them and says so in a banner at the top.
/// The page is written here (its head, its banner, its end); each section by a type of its own, in this order.
/// </summary>
internal static class SafetySummaryReport
{
    private static readonly IReportSection[] Sections =
    [
        new ReportHeader(),
        new DispositionSection(),
        new AdverseEventOverviewSection(),
        new IncidenceChartSection(),
        new AdverseEventsByTermSection(),
        new MaximumGradeSection(),
        new ReportingTimelinessSection(),
        new MrssChartSection(),
        new MrssTableSection(),
        new SaeTimelineSection(),
        new DefinitionsSection(),
    ];

    /// <param name="generatedBy">Who asked for an on-demand summary (name and email); null for a job's.</param>
    public static string Render(Trial trial, SafetySummary summary, SummaryContent content, IReadOnlyDictionary<string, ArmView>? arms, string? generatedBy)
    {
        var ctx = ReportContext.Create(trial, summary, content, arms, generatedBy);
        var closed = ctx.Closed;

        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(closed ? "CLOSED — " : string.Empty)).Append("Safety summary ").Append(E(trial.Code)).Append(' ')
            .Append(E(Timestamp(summary.DataCutoff))).Append("</title>")
            .Append("<style>").Append(ReportStylesheet.Css).Append("</style></head><body>");

        if (closed)
        {
            html.Append("<div class=\"banner closed\" role=\"alert\">CLOSED — UNBLINDED. Groups are shown by real treatment arm. ")
                .Append("For the data safety board's closed session only: do not forward.</div>");
        }
        else
        {
            html.Append("<div class=\"banner open\">OPEN REPORT — masked groups. Which arm a group stands for is not shown.</div>");
        }

        foreach (var section in Sections)
        {
            section.Write(html, ctx);
        }

        html.Append("</body></html>\n");
        return html.ToString();
    }
}

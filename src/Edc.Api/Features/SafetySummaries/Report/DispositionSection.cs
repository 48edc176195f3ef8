using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>1. Screening and disposition: the screening counts, then the participants of each column.</summary>
internal sealed class DispositionSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        var s = ctx.Content.Screening;
        html.Append("<section><h2>1. Screening and disposition</h2>")
            .Append("<table class=\"compact\"><tbody>")
            .Append(Row("Screened (registered)", s.Registered)).Append(Row("Screen failures", s.ScreenFailed))
            .Append(Row("Enrolled", s.Enrolled)).Append(Row("Randomized", s.Randomized))
            .Append(Row("Enrolled, awaiting randomization", s.AwaitingRandomization))
            .Append(Row("Withdrawn before randomization", s.WithdrawnBeforeRandomization))
            .Append(Row("Adverse events of participants not randomized (not in the tables below)", s.AdverseEventsBeforeRandomization))
            .Append("</tbody></table>");

        var rows = new (string Label, Func<ParticipantCounts, int> Value, bool Percent)[]
        {
            ("Randomized", p => p.Randomized, false),
            ("Completed", p => p.Completed, true),
            ("Withdrawn", p => p.Withdrawn, true),
            ("Withdrawn due to an adverse event", p => p.WithdrawnDueToAdverseEvent, true),
            ("Deaths", p => p.Deaths, true),
            ("Infusions given", p => p.InfusionsGiven, false),
        };
        ByColumnTable(html, ctx, "Participants by group", rows, ctx.Content.Participants);
        html.Append("</section>");
    }
}

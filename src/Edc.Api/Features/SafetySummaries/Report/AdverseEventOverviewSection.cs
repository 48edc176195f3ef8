using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>2. Adverse events: participants with events and the events, by column.</summary>
internal sealed class AdverseEventOverviewSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<section><h2>2. Adverse events</h2>");
        ByColumnTable(html, ctx, "Participants with events", [
            ("With at least one adverse event", p => p.WithAdverseEvent, true),
            ("With at least one serious adverse event", p => p.WithSeriousAdverseEvent, true),
        ], ctx.Content.Participants);
        ByColumnTable(html, ctx, "Events", [
            ("Adverse events", e => e.Events, false),
            ("Serious adverse events", e => e.Serious, false),
            ("Related (possibly, probably, definitely)", e => e.Related, false),
            ("SUSARs", e => e.Susars, false),
            ("Fatal (grade 5 or outcome fatal)", e => e.Fatal, false),
        ], ctx.Content.AdverseEvents);
        html.Append("</section>");
    }
}

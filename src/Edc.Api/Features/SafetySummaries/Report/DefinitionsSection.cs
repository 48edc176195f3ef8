using System.Text;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>The definitions the figures follow.</summary>
internal sealed class DefinitionsSection : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx) =>
        html.Append("<section class=\"definitions\"><h2>Definitions</h2><ul>")
            .Append("<li>Figures are a snapshot of the data committed before the data cut-off; the summary never changes afterwards.</li>")
            .Append("<li>Withdrawn due to an adverse event: a withdrawn participant with an adverse event whose action taken with the study treatment was ")
            .Append("“drug withdrawn”, with onset on or before the withdrawal date.</li>")
            .Append("<li>Completed: completed the visit schedule. Deaths: participants with a recorded death (a grade 5 event).</li>")
            .Append("<li>Related: possibly, probably or definitely related. SUSAR: serious, related and not expected (expectedness not yet assessed counts as unexpected).</li>")
            .Append("<li>MRSS: scheduled visits only; medians and quartiles by linear interpolation (percentile_cont).</li>")
            .Append("</ul></section>");
}

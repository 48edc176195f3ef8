using System.Text;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>A section of the safety summary report, written in its turn into the page (<see cref="SafetySummaryReport"/>).</summary>
internal interface IReportSection
{
    void Write(StringBuilder html, ReportContext ctx);
}

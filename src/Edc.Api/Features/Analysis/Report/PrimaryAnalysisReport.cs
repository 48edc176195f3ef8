using System.Text;
using Edc.Api.Features.SafetySummaries.Report;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.Analysis.Report;

/// <summary>
/// The primary analysis as one self-contained HTML document laid out like a journal's table (inline CSS and SVG, no
/// script, no external resource; prints on A4): the endpoint as its title, who produced it, when and on which data, the
/// audit trail's head at that moment, then the analysis as the web page shows it.
/// </summary>
internal static class PrimaryAnalysisReport
{
    /// <summary>The journal table and the paired plots, over the safety report's stylesheet.</summary>
    private const string Css = """
        table.journal { border-top: 2px solid #000; border-bottom: 2px solid #000; }
        table.journal th, table.journal td { border: 0; background: none; padding: 1.2mm 3mm; }
        table.journal thead th { border-bottom: 1px solid #000; vertical-align: bottom; }
        table.journal thead th.num { text-align: right; }
        table.journal tbody th { font-weight: normal; text-align: left; width: 42%; }
        table.journal td.num { white-space: normal; }
        table.journal td.spanning { text-align: center; }
        table.journal tr.section th { font-weight: bold; padding-top: 3mm; }
        .paired-plots { display: flex; flex-wrap: wrap; gap: 4mm; }
        .paired-plots svg.chart { flex: 1 1 80mm; width: auto; max-width: 95mm; }
        svg .pair line { stroke-width: 1.6; opacity: .7; }
        svg .median { stroke: #111; stroke-width: 3; stroke-dasharray: 6 4; }
        svg .axis-line { stroke: #444; stroke-width: 1; }
        svg .plot-title { font-size: 11px; font-weight: bold; fill: #222; }
        .visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0, 0, 0, 0); white-space: nowrap; }
        """;

    /// <param name="Trial">The trial's code and title, as one line.</param>
    /// <param name="ProducedBy">Who asked for the report (name and email).</param>
    /// <param name="AuditSequence">The last audit entry when the report was produced, with its hash: the trail it was produced against.</param>
    public sealed record Document(PrimaryAnalysisView Analysis, string Trial, string ProducedBy, DateTimeOffset ProducedAt, long? AuditSequence, string? AuditHash);

    public static string Render(Document document)
    {
        var analysis = document.Analysis;
        var html = new StringBuilder(32 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E($"Primary analysis · {document.Trial} · {Timestamp(analysis.DataCutoff)}")).Append("</title>")
            .Append("<style>").Append(ReportStylesheet.Css).Append(Css).Append("</style></head><body>")
            .Append("<header><h1>").Append(E(analysis.Endpoint)).Append("</h1><p class=\"trial\">").Append(E(document.Trial)).Append("</p><dl class=\"meta\">")
            .Append("<dt>Groups</dt><dd>").Append(analysis.ByArm ? "By treatment arm" : "By masked group").Append("</dd>")
            .Append("<dt>Quantile method</dt><dd>").Append(E(analysis.QuantileMethod)).Append("</dd>")
            .Append("<dt>Data cut-off</dt><dd>").Append(E(Timestamp(analysis.DataCutoff))).Append("</dd>")
            .Append("<dt>Produced</dt><dd>by ").Append(E(document.ProducedBy)).Append(", ").Append(E(Timestamp(document.ProducedAt))).Append("</dd>")
            .Append("<dt>Audit trail head</dt><dd>")
            .Append(document.AuditHash is { } hash ? F($"entry {document.AuditSequence}, hash <code class=\"audit-hash\">{E(hash)}</code>") : "the trail is empty")
            .Append("</dd></dl></header><main>");
        PrimaryAnalysisHtml.Write(html, analysis);
        html.Append("</main></body></html>\n");
        return html.ToString();
    }
}

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>The report's inline CSS: screen and A4 print.</summary>
internal static class ReportStylesheet
{
    public const string Css = """
        :root { color-scheme: light; }
        body { font-family: "DejaVu Sans", "Segoe UI", Arial, sans-serif; font-size: 10.5pt; color: #1a1a1a; margin: 0 auto; max-width: 190mm; padding: 8mm 6mm; line-height: 1.35; }
        h1 { font-size: 17pt; margin: 4mm 0 1mm; }
        h2 { font-size: 12.5pt; margin: 6mm 0 2mm; border-bottom: 1px solid #bbb; padding-bottom: 1mm; }
        .trial { font-size: 11.5pt; margin: 0 0 2mm; }
        .banner { padding: 2.5mm 4mm; font-weight: bold; border-radius: 2px; }
        .banner.open { background: #e8f0fa; color: #1f3f6a; border: 1px solid #9bb7dc; }
        .banner.closed { background: #a40000; color: #fff; border: 2px solid #600; font-size: 12pt; letter-spacing: .02em; }
        dl.meta { display: grid; grid-template-columns: max-content 1fr; gap: .6mm 4mm; margin: 2mm 0; }
        dl.meta dt { font-weight: bold; } dl.meta dd { margin: 0; }
        code { font-size: 8.5pt; word-break: break-all; }
        .note { color: #444; font-size: 9pt; margin: 1mm 0 2mm; }
        table { border-collapse: collapse; width: 100%; margin: 2mm 0 3mm; font-size: 9.5pt; }
        table.compact { width: auto; min-width: 50%; }
        caption { text-align: left; font-weight: bold; padding: 1mm 0; }
        th, td { border: 1px solid #c8c8c8; padding: 1mm 2mm; vertical-align: top; }
        th { background: #f0f0f0; text-align: left; }
        td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
        td.alert { color: #a40000; font-weight: bold; }
        .sub { font-weight: normal; color: #555; font-size: 8pt; }
        svg.chart { width: 100%; height: auto; display: block; margin: 1mm 0 2mm; font-family: inherit; }
        svg .grid { stroke: #ddd; stroke-width: 1; }
        svg .tick, svg .value { font-size: 9px; fill: #444; }
        svg .label, svg .legend, svg .axis { font-size: 10px; fill: #222; }
        svg .line { fill: none; stroke-width: 2.2; }
        svg .iqr { opacity: .16; }
        svg .sae { opacity: .8; }
        thead { display: table-header-group; }
        tr, .figure svg { break-inside: avoid; page-break-inside: avoid; }
        .figure { break-inside: avoid; page-break-inside: avoid; }
        h2 { break-after: avoid; page-break-after: avoid; }
        @page { size: A4; margin: 14mm 12mm; }
        @media print {
            body { max-width: none; padding: 0; font-size: 9.5pt; }
            .banner { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
            th { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
        }
        """;
}

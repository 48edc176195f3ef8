using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>The report's header: the trial, the data cut-off, how and from what the summary was generated, its columns.</summary>
internal sealed class ReportHeader : IReportSection
{
    public void Write(StringBuilder html, ReportContext ctx)
    {
        html.Append("<header><h1>Data safety board summary</h1><p class=\"trial\">").Append(E(ctx.Trial.Code)).Append(" — ").Append(E(ctx.Trial.Title)).Append("</p>")
            .Append("<dl class=\"meta\">")
            .Append("<dt>Data cut-off</dt><dd>").Append(E(Timestamp(ctx.Summary.DataCutoff))).Append("</dd>")
            .Append("<dt>Generated</dt><dd>").Append(ctx.Summary.GeneratedByJob is { } job ? "by the scheduled job " + E(job) : "on demand by " + E(ctx.GeneratedBy ?? "an account since removed"))
            .Append(ctx.Summary.PeriodKey is { } period ? ", period " + E(period) : string.Empty).Append("</dd>")
            .Append("<dt>Summary</dt><dd><code>").Append(E(ctx.Summary.Id.ToString())).Append("</code></dd>")
            .Append("<dt>Content SHA-256</dt><dd><code>").Append(E(ctx.Summary.ContentSha256)).Append("</code></dd>")
            .Append("<dt>Columns</dt><dd>").Append(string.Join("; ", ctx.Columns.Select(c => E(ctx.Names[c])))).Append("</dd>")
            .Append("</dl>");
        if (ctx.Arms is { Count: 0 })
        {
            html.Append("<p class=\"note\">The trial has no randomization list yet: there are no groups to unblind.</p>");
        }

        html.Append("<p class=\"note\">Population: randomized participants; <em>Pooled</em> is all of them, so the groups add up to it. ")
            .Append("Percentages are of the column's randomized participants.</p></header>");
    }
}

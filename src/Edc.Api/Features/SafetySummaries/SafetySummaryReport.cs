using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;
using Edc.Api.Blinding;
using Edc.Domain.Safety;
using Edc.Domain.Trials;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>
/// Renders a safety summary as one self-contained HTML page: inline CSS, inline SVG charts (AE incidence by group,
/// MRSS median over time by group with its interquartile band, SAE timeline), a table for every figure, no script and
/// no external resource; it prints on A4. Every text is HTML-encoded (terms are typed by sites). The open report names
/// masked groups only; given the arms (the gate's closed view), it names them and says so in a banner at the top.
/// </summary>
internal static class SafetySummaryReport
{
    private const int TopTerms = 12;

    private static readonly string[] Palette = ["#1f5fa8", "#c8501e", "#2a8c5a", "#7a4fa3", "#a8862a", "#2a8a99"];
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string Render(Trial trial, SafetySummary summary, SummaryContent content, IReadOnlyDictionary<string, ArmView>? arms)
    {
        var closed = arms is not null;
        var groups = content.Columns.Where(c => c != SummaryContent.Pooled).ToList();
        var names = content.Columns.ToDictionary(c => c, c => ColumnName(c, arms), StringComparer.Ordinal);
        var colors = groups.Select((g, i) => (g, Palette[i % Palette.Length])).ToDictionary(x => x.g, x => x.Item2, StringComparer.Ordinal);
        colors[SummaryContent.Pooled] = "#555555";
        var randomized = content.Participants.ToDictionary(p => p.Column, p => p.Randomized, StringComparer.Ordinal);
        var ctx = new Context(content, groups, names, colors, randomized);

        var html = new StringBuilder(64 * 1024);
        html.Append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
            .Append("<title>").Append(E(closed ? "CLOSED — " : string.Empty)).Append("Safety summary ").Append(E(trial.Code)).Append(' ')
            .Append(E(Timestamp(summary.DataCutoff))).Append("</title>")
            .Append("<style>").Append(Css).Append("</style></head><body>");

        if (closed)
        {
            html.Append("<div class=\"banner closed\" role=\"alert\">CLOSED — UNBLINDED. Groups are shown by real treatment arm. ")
                .Append("For the data safety board's closed session only: do not forward.</div>");
        }
        else
        {
            html.Append("<div class=\"banner open\">OPEN REPORT — masked groups. Which arm a group stands for is not shown.</div>");
        }

        Header(html, trial, summary, ctx, arms);
        Disposition(html, ctx);
        EventOverview(html, ctx);
        IncidenceChart(html, ctx);
        TermTable(html, ctx);
        GradeTable(html, ctx);
        Timeliness(html, ctx);
        MrssChart(html, ctx);
        MrssTable(html, ctx);
        SaeTimeline(html, ctx);
        Definitions(html);
        html.Append("</body></html>\n");
        return html.ToString();
    }

    private sealed record Context(
        SummaryContent Content,
        IReadOnlyList<string> Groups,
        IReadOnlyDictionary<string, string> Names,
        IReadOnlyDictionary<string, string> Colors,
        IReadOnlyDictionary<string, int> Randomized)
    {
        public IReadOnlyList<string> Columns => Content.Columns;

        /// <summary>The series a chart draws: each group, or the pooled column when there are no groups yet.</summary>
        public IReadOnlyList<string> ChartSeries => Groups.Count > 0 ? Groups : [SummaryContent.Pooled];
    }

    private static string ColumnName(string column, IReadOnlyDictionary<string, ArmView>? arms) =>
        arms is not null && arms.TryGetValue(column, out var arm) ? $"{arm.Name} ({arm.Code}; {column})" : column;

    // ---- Sections ----

    private static void Header(StringBuilder html, Trial trial, SafetySummary summary, Context ctx, IReadOnlyDictionary<string, ArmView>? arms)
    {
        html.Append("<header><h1>Data safety board summary</h1><p class=\"trial\">").Append(E(trial.Code)).Append(" — ").Append(E(trial.Title)).Append("</p>")
            .Append("<dl class=\"meta\">")
            .Append("<dt>Data cut-off</dt><dd>").Append(E(Timestamp(summary.DataCutoff))).Append("</dd>")
            .Append("<dt>Generated</dt><dd>").Append(summary.GeneratedByJob is { } job ? "by the scheduled job " + E(job) : "on demand")
            .Append(summary.PeriodKey is { } period ? ", period " + E(period) : string.Empty).Append("</dd>")
            .Append("<dt>Summary</dt><dd><code>").Append(E(summary.Id.ToString())).Append("</code></dd>")
            .Append("<dt>Content SHA-256</dt><dd><code>").Append(E(summary.ContentSha256)).Append("</code></dd>")
            .Append("<dt>Columns</dt><dd>").Append(string.Join("; ", ctx.Columns.Select(c => E(ctx.Names[c])))).Append("</dd>")
            .Append("</dl>");
        if (arms is not null && arms.Count == 0)
        {
            html.Append("<p class=\"note\">The trial has no randomization list yet: there are no groups to unblind.</p>");
        }

        html.Append("<p class=\"note\">Population: randomized participants; <em>Pooled</em> is all of them, so the groups add up to it. ")
            .Append("Percentages are of the column's randomized participants.</p></header>");
    }

    private static void Disposition(StringBuilder html, Context ctx)
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

    private static void EventOverview(StringBuilder html, Context ctx)
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

    private static void IncidenceChart(StringBuilder html, Context ctx)
    {
        var series = ctx.ChartSeries;
        var participants = ctx.Content.Participants.ToDictionary(p => p.Column, StringComparer.Ordinal);
        var categories = new List<(string Label, Func<string, int> Count)>
        {
            ("Any adverse event", c => participants.TryGetValue(c, out var p) ? p.WithAdverseEvent : 0),
            ("Any serious adverse event", c => participants.TryGetValue(c, out var p) ? p.WithSeriousAdverseEvent : 0),
        };
        foreach (var term in ctx.Content.AdverseEventsByTerm.Take(TopTerms))
        {
            var cells = term.Counts.ToDictionary(c => c.Column, c => c.Participants, StringComparer.Ordinal);
            categories.Add((term.Term, c => cells.GetValueOrDefault(c)));
        }

        const double left = 190, right = 90, top = 30, barHeight = 9, gap = 8, width = 720;
        var bandHeight = series.Count * barHeight + gap;
        var height = top + categories.Count * bandHeight + 30;
        var plot = width - left - right;
        var percents = categories.SelectMany(cat => series.Select(s => Percent(cat.Count(s), ctx.Randomized.GetValueOrDefault(s)))).ToList();
        var max = NiceMax(percents.Count == 0 ? 0 : percents.Max(), 10);

        html.Append("<section class=\"figure\"><h2>3. Adverse event incidence by group</h2>")
            .Append("<p class=\"note\">Participants with at least one event, as a percentage of the group's randomized participants; the ")
            .Append(TopTerms.ToString(Inv)).Append(" most frequent terms (pooled). Every term is in table 4.</p>");
        SvgOpen(html, "chart-incidence", width, height, "Adverse event incidence by group");
        Legend(html, ctx, series, left, 14);
        for (var tick = 0; tick <= 5; tick++)
        {
            var value = max * tick / 5;
            var x = left + plot * tick / 5;
            html.Append(Inv, $"<line class=\"grid\" x1=\"{x:0.#}\" y1=\"{top - 4}\" x2=\"{x:0.#}\" y2=\"{height - 26:0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{x:0.#}\" y=\"{height - 12:0.#}\" text-anchor=\"middle\">{value:0.#}%</text>");
        }

        for (var i = 0; i < categories.Count; i++)
        {
            var (label, count) = categories[i];
            var y0 = top + i * bandHeight;
            html.Append(Inv, $"<text class=\"label\" x=\"{left - 6}\" y=\"{y0 + series.Count * barHeight / 2 + 3:0.#}\" text-anchor=\"end\">")
                .Append(E(Shorten(label, 32))).Append("</text>");
            for (var j = 0; j < series.Count; j++)
            {
                var n = count(series[j]);
                var pct = Percent(n, ctx.Randomized.GetValueOrDefault(series[j]));
                var w = max == 0 ? 0 : plot * pct / max;
                var y = y0 + j * barHeight;
                html.Append(Inv, $"<rect class=\"bar\" data-series=\"{E(series[j])}\" data-value=\"{pct:0.##}\" x=\"{left}\" y=\"{y:0.#}\" width=\"{w:0.##}\" height=\"{barHeight - 1}\" fill=\"{ctx.Colors[series[j]]}\">")
                    .Append("<title>").Append(E($"{label}, {ctx.Names[series[j]]}: {n} ({pct:0.#}%)")).Append("</title></rect>")
                    .Append(Inv, $"<text class=\"value\" x=\"{left + w + 3:0.#}\" y=\"{y + barHeight - 2:0.#}\">{n} ({pct:0.#}%)</text>");
            }
        }

        html.Append("</svg></section>");
    }

    private static void TermTable(StringBuilder html, Context ctx)
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

    private static void GradeTable(StringBuilder html, Context ctx)
    {
        html.Append("<section><h2>5. Participants by maximum grade (CTCAE)</h2><table><thead><tr><th>Maximum grade</th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var grade in ctx.Content.MaximumGrade)
        {
            var cells = grade.Counts.ToDictionary(c => c.Column, c => c.Participants, StringComparer.Ordinal);
            html.Append("<tr><td>Grade ").Append(grade.Grade).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                html.Append("<td class=\"num\">").Append(E(CountPercent(cells.GetValueOrDefault(c), ctx.Randomized.GetValueOrDefault(c)))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Timeliness(StringBuilder html, Context ctx)
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

    private static void MrssChart(StringBuilder html, Context ctx)
    {
        var visits = ctx.Content.MrssByVisit;
        var series = ctx.ChartSeries;
        html.Append("<section class=\"figure\"><h2>7. MRSS over time by group</h2>")
            .Append("<p class=\"note\">Median modified Rodnan skin score (0–51) at each scheduled visit; the band is the interquartile range.</p>");
        const double left = 50, right = 20, top = 30, bottom = 40, width = 720, height = 300;
        var plotW = width - left - right;
        var plotH = height - top - bottom;
        SvgOpen(html, "chart-mrss", width, height, "MRSS median over time by group");
        Legend(html, ctx, series, left, 14);
        if (visits.Count == 0)
        {
            html.Append(Inv, $"<text class=\"label\" x=\"{width / 2}\" y=\"{height / 2}\" text-anchor=\"middle\">No MRSS assessments yet.</text></svg></section>");
            return;
        }

        var minDay = visits.Min(v => v.Day);
        var maxDay = Math.Max(visits.Max(v => v.Day), minDay + 1);
        var highest = visits.SelectMany(v => v.Counts).Select(c => c.Q3 ?? 0).DefaultIfEmpty(0).Max();
        var yMax = NiceMax(highest, 5);
        double X(int day) => left + plotW * (day - minDay) / (maxDay - minDay);
        double Y(double value) => top + plotH - (yMax == 0 ? 0 : plotH * value / yMax);

        for (var tick = 0; tick <= 5; tick++)
        {
            var value = yMax * tick / 5;
            html.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{Y(value):0.#}\" x2=\"{width - right}\" y2=\"{Y(value):0.#}\"/>")
                .Append(Inv, $"<text class=\"tick\" x=\"{left - 6}\" y=\"{Y(value) + 3:0.#}\" text-anchor=\"end\">{value:0.#}</text>");
        }

        foreach (var visit in visits)
        {
            html.Append(Inv, $"<text class=\"tick\" x=\"{X(visit.Day):0.#}\" y=\"{height - bottom + 14}\" text-anchor=\"middle\">").Append(E(visit.VisitCode)).Append("</text>")
                .Append(Inv, $"<text class=\"tick sub\" x=\"{X(visit.Day):0.#}\" y=\"{height - bottom + 26}\" text-anchor=\"middle\">day {visit.Day}</text>");
        }

        html.Append(Inv, $"<text class=\"axis\" x=\"12\" y=\"{top + plotH / 2}\" transform=\"rotate(-90 12 {top + plotH / 2})\" text-anchor=\"middle\">MRSS</text>");
        foreach (var s in series)
        {
            var points = visits
                .Select(v => (v.Day, Cell: v.Counts.FirstOrDefault(c => c.Column == s)))
                .Where(p => p.Cell is { N: > 0, Median: not null })
                .Select(p => (p.Day, Median: p.Cell!.Median!.Value, Q1: p.Cell.Q1 ?? p.Cell.Median!.Value, Q3: p.Cell.Q3 ?? p.Cell.Median!.Value, p.Cell.N))
                .ToList();
            if (points.Count == 0)
            {
                continue;
            }

            var band = string.Join(' ', points.Select(p => F($"{X(p.Day):0.#},{Y(p.Q3):0.#}")).Concat(points.AsEnumerable().Reverse().Select(p => F($"{X(p.Day):0.#},{Y(p.Q1):0.#}"))));
            html.Append("<polygon class=\"iqr\" data-series=\"").Append(E(s)).Append("\" points=\"").Append(band).Append("\" fill=\"").Append(ctx.Colors[s]).Append("\"/>");
            html.Append("<polyline class=\"line\" data-series=\"").Append(E(s)).Append("\" points=\"")
                .Append(string.Join(' ', points.Select(p => F($"{X(p.Day):0.#},{Y(p.Median):0.#}")))).Append("\" stroke=\"").Append(ctx.Colors[s]).Append("\"/>");
            foreach (var p in points)
            {
                html.Append(Inv, $"<circle class=\"point\" data-series=\"{E(s)}\" data-value=\"{p.Median:0.##}\" cx=\"{X(p.Day):0.#}\" cy=\"{Y(p.Median):0.#}\" r=\"3.5\" fill=\"{ctx.Colors[s]}\">")
                    .Append("<title>").Append(E(F($"{ctx.Names[s]}, day {p.Day}: median {p.Median:0.#} (IQR {p.Q1:0.#}–{p.Q3:0.#}), n={p.N}"))).Append("</title></circle>");
            }
        }

        html.Append("</svg></section>");
    }

    private static void MrssTable(StringBuilder html, Context ctx)
    {
        html.Append("<section><h2>8. MRSS by visit</h2><table><thead><tr><th>Visit</th><th>Day</th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("<br><span class=\"sub\">n · median (Q1–Q3)</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        if (ctx.Content.MrssByVisit.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(ctx.Columns.Count + 2).Append("\">No MRSS assessments.</td></tr>");
        }

        foreach (var visit in ctx.Content.MrssByVisit)
        {
            html.Append("<tr><td>").Append(E(visit.VisitCode)).Append(" · ").Append(E(visit.VisitName)).Append("</td><td class=\"num\">").Append(visit.Day).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                var cell = visit.Counts.FirstOrDefault(x => x.Column == c);
                html.Append("<td class=\"num\">").Append(cell is { N: > 0, Median: { } m }
                    ? E(F($"{cell.N} · {m:0.#} ({cell.Q1:0.#}–{cell.Q3:0.#})"))
                    : "0 · —").Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void SaeTimeline(StringBuilder html, Context ctx)
    {
        // Over more than half a year, a dot per day would crowd the lanes: the dots are then weeks (from Monday).
        var stored = ctx.Content.SeriousEventTimeline;
        var weekly = stored.Count > 0 && stored.Max(d => d.OnsetDate.DayNumber) - stored.Min(d => d.OnsetDate.DayNumber) > 183;
        var days = weekly
            ? [.. stored.GroupBy(d => (d.Column, Week: d.OnsetDate.AddDays(-(((int)d.OnsetDate.DayOfWeek + 6) % 7))))
                .Select(g => new SaeDay(g.Key.Column, g.Key.Week, g.Sum(d => d.Events), g.Sum(d => d.Fatal)))
                .OrderBy(d => d.OnsetDate)]
            : stored;
        var series = ctx.Groups.Count > 0 ? ctx.Groups : [SummaryContent.Pooled];
        html.Append("<section class=\"figure\"><h2>9. Serious adverse events over time</h2>")
            .Append("<p class=\"note\">Each dot is a ").Append(weekly ? "week" : "day").Append(" with serious events by onset date, its area proportional to their number; a ring marks one with a fatal event.</p>");
        const double left = 190, right = 30, top = 30, lane = 40, width = 720;
        var height = top + series.Count * lane + 40;
        var plotW = width - left - right;
        SvgOpen(html, "chart-sae-timeline", width, height, "Serious adverse events over time by group");
        Legend(html, ctx, series, left, 14);
        if (days.Count == 0)
        {
            html.Append(Inv, $"<text class=\"label\" x=\"{width / 2}\" y=\"{top + lane / 2}\" text-anchor=\"middle\">No serious adverse events.</text></svg>");
        }
        else
        {
            var first = days.Min(d => d.OnsetDate).DayNumber;
            var last = Math.Max(days.Max(d => d.OnsetDate).DayNumber, first + 1);
            var most = days.Max(d => d.Events);
            double X(DateOnly date) => left + plotW * (date.DayNumber - first) / (last - first);
            for (var i = 0; i < series.Count; i++)
            {
                var y = top + i * lane + lane / 2;
                html.Append(Inv, $"<line class=\"grid\" x1=\"{left}\" y1=\"{y}\" x2=\"{width - right}\" y2=\"{y}\"/>")
                    .Append(Inv, $"<text class=\"label\" x=\"{left - 8}\" y=\"{y + 3}\" text-anchor=\"end\">").Append(E(Shorten(ctx.Names[series[i]], 30))).Append("</text>");
            }

            for (var tick = 0; tick <= 4; tick++)
            {
                var date = DateOnly.FromDayNumber(first + (last - first) * tick / 4);
                html.Append(Inv, $"<text class=\"tick\" x=\"{X(date):0.#}\" y=\"{height - 14}\" text-anchor=\"middle\">{date:yyyy-MM-dd}</text>");
            }

            foreach (var day in days)
            {
                var i = IndexOf(series, day.Column);
                if (i < 0)
                {
                    continue;
                }

                var y = top + i * lane + lane / 2;
                var r = 3 + 9 * Math.Sqrt((double)day.Events / most);
                html.Append(Inv, $"<circle class=\"point sae\" data-series=\"{E(day.Column)}\" data-value=\"{day.Events}\" cx=\"{X(day.OnsetDate):0.#}\" cy=\"{y}\" r=\"{r:0.#}\" fill=\"{ctx.Colors[day.Column]}\"")
                    .Append(day.Fatal > 0 ? " stroke=\"#000\" stroke-width=\"2\"" : string.Empty).Append("><title>")
                    .Append(E(F($"{ctx.Names[day.Column]}, {(weekly ? "week of " : string.Empty)}{day.OnsetDate:yyyy-MM-dd}: {day.Events} serious, {day.Fatal} fatal"))).Append("</title></circle>");
            }

            html.Append("</svg>");
        }

        // The figure's table: by month of onset, so it stays short however long the trial runs.
        var months = days.GroupBy(d => new DateOnly(d.OnsetDate.Year, d.OnsetDate.Month, 1)).OrderBy(g => g.Key).ToList();
        html.Append("<table><thead><tr><th>Month of onset</th>");
        foreach (var s in series)
        {
            html.Append("<th>").Append(E(ctx.Names[s])).Append("<br><span class=\"sub\">serious (fatal)</span></th>");
        }

        html.Append("</tr></thead><tbody>");
        if (months.Count == 0)
        {
            html.Append("<tr><td colspan=\"").Append(series.Count + 1).Append("\">No serious adverse events.</td></tr>");
        }

        foreach (var month in months)
        {
            html.Append("<tr><td>").Append(month.Key.ToString("yyyy-MM", Inv)).Append("</td>");
            foreach (var s in series)
            {
                var inColumn = month.Where(d => d.Column == s).ToList();
                html.Append("<td class=\"num\">").Append(inColumn.Sum(d => d.Events)).Append(" (").Append(inColumn.Sum(d => d.Fatal)).Append(")</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table></section>");
    }

    private static void Definitions(StringBuilder html) =>
        html.Append("<section class=\"definitions\"><h2>Definitions</h2><ul>")
            .Append("<li>Figures are a snapshot of the data committed before the data cut-off; the summary never changes afterwards.</li>")
            .Append("<li>Withdrawn due to an adverse event: a withdrawn participant with an adverse event whose action taken with the study treatment was ")
            .Append("“drug withdrawn”, with onset on or before the withdrawal date.</li>")
            .Append("<li>Completed: completed the visit schedule. Deaths: participants with a recorded death (a grade 5 event).</li>")
            .Append("<li>Related: possibly, probably or definitely related. SUSAR: serious, related and not expected (expectedness not yet assessed counts as unexpected).</li>")
            .Append("<li>MRSS: scheduled visits only; medians and quartiles by linear interpolation (percentile_cont).</li>")
            .Append("</ul></section>");

    // ---- Building blocks ----

    private static void ByColumnTable<T>(StringBuilder html, Context ctx, string caption, IEnumerable<(string Label, Func<T, int> Value, bool Percent)> rows, IReadOnlyList<T> data)
        where T : IColumnRow
    {
        var byColumn = data.ToDictionary(d => d.Column, StringComparer.Ordinal);
        html.Append("<table><caption>").Append(E(caption)).Append("</caption><thead><tr><th></th>");
        foreach (var c in ctx.Columns)
        {
            html.Append("<th>").Append(E(ctx.Names[c])).Append("</th>");
        }

        html.Append("</tr></thead><tbody>");
        foreach (var (label, value, percent) in rows)
        {
            html.Append("<tr><td>").Append(E(label)).Append("</td>");
            foreach (var c in ctx.Columns)
            {
                var n = byColumn.TryGetValue(c, out var d) ? value(d) : 0;
                html.Append("<td class=\"num\">").Append(E(percent ? CountPercent(n, ctx.Randomized.GetValueOrDefault(c)) : n.ToString(Inv))).Append("</td>");
            }

            html.Append("</tr>");
        }

        html.Append("</tbody></table>");
    }

    private static void SvgOpen(StringBuilder html, string id, double width, double height, string title) =>
        html.Append(Inv, $"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"{E(title)}\">")
            .Append("<title>").Append(E(title)).Append("</title>");

    private static void Legend(StringBuilder html, Context ctx, IReadOnlyList<string> series, double x, double y)
    {
        foreach (var s in series)
        {
            var name = Shorten(ctx.Names[s], 40);
            html.Append(Inv, $"<rect x=\"{x:0.#}\" y=\"{y - 9:0.#}\" width=\"10\" height=\"10\" fill=\"{ctx.Colors[s]}\"/>")
                .Append(Inv, $"<text class=\"legend\" x=\"{x + 14:0.#}\" y=\"{y:0.#}\">").Append(E(name)).Append("</text>");
            x += 30 + name.Length * 6.2;
        }
    }

    private static string Row(string label, int value) => $"<tr><td>{E(label)}</td><td class=\"num\">{value.ToString(Inv)}</td></tr>";

    private static double Percent(int n, int of) => of == 0 ? 0 : 100.0 * n / of;

    private static string CountPercent(int n, int of) => of == 0 ? n.ToString(Inv) : F($"{n} ({Percent(n, of):0.#}%)");

    private static double NiceMax(double value, double step) => value <= 0 ? step : Math.Ceiling(value / step) * step;

    private static int IndexOf(IReadOnlyList<string> list, string value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    private static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv);

    private static string F(FormattableString text) => text.ToString(Inv);

    private static string E(string text) => HtmlEncoder.Default.Encode(text);

    private const string Css = """
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

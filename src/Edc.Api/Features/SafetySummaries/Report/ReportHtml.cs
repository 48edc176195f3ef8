using System.Globalization;
using System.Text;
using System.Text.Encodings.Web;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>
/// The HTML the sections share: encoding (every text is encoded: terms are typed by sites), invariant formatting,
/// counts with their percentage, and the tables of a figure by column.
/// </summary>
internal static class ReportHtml
{
    public static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static string E(string text) => HtmlEncoder.Default.Encode(text);

    public static string F(FormattableString text) => text.ToString(Inv);

    public static string Timestamp(DateTimeOffset t) => t.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", Inv);

    public static string Shorten(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";

    public static double Percent(int n, int of) => of == 0 ? 0 : 100.0 * n / of;

    public static string CountPercent(int n, int of) => of == 0 ? n.ToString(Inv) : F($"{n} ({Percent(n, of):0.#}%)");

    /// <summary>A row of a two-column table: a label and a count.</summary>
    public static string Row(string label, int value) => $"<tr><td>{E(label)}</td><td class=\"num\">{value.ToString(Inv)}</td></tr>";

    /// <summary>A table with a row per figure and a cell per column, the count with its percentage where asked.</summary>
    public static void ByColumnTable<T>(StringBuilder html, ReportContext ctx, string caption, IEnumerable<(string Label, Func<T, int> Value, bool Percent)> rows, IReadOnlyList<T> data)
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
}

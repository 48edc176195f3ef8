using System.Text;
using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>What the inline SVG charts share: the opening of a chart with its accessible title, a legend, an axis maximum.</summary>
internal static class ReportSvg
{
    public static void SvgOpen(StringBuilder html, string id, double width, double height, string title) =>
        html.Append(Inv, $"<svg id=\"{id}\" class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width:0} {height:0}\" role=\"img\" aria-label=\"{E(title)}\">")
            .Append("<title>").Append(E(title)).Append("</title>");

    /// <summary>A legend of the series in a row from (x, y), each with its colour.</summary>
    public static void Legend(StringBuilder html, ReportContext ctx, IReadOnlyList<string> series, double x, double y)
    {
        foreach (var s in series)
        {
            var name = Shorten(ctx.Names[s], 40);
            html.Append(Inv, $"<rect x=\"{x:0.#}\" y=\"{y - 9:0.#}\" width=\"10\" height=\"10\" fill=\"{ctx.Colors[s]}\"/>")
                .Append(Inv, $"<text class=\"legend\" x=\"{x + 14:0.#}\" y=\"{y:0.#}\">").Append(E(name)).Append("</text>");
            x += 30 + name.Length * 6.2;
        }
    }

    /// <summary>The axis maximum: the value rounded up to a multiple of the step, at least one step.</summary>
    public static double NiceMax(double value, double step) => value <= 0 ? step : Math.Ceiling(value / step) * step;
}

using static Edc.Api.Features.SafetySummaries.Report.ReportHtml;

namespace Edc.Api.Features.Analysis.Report;

/// <summary>
/// Numbers as a journal prints them: a median with its quartiles as "27 (26.5, 31)", a true minus sign, P to three
/// decimals ("0.039", below 0.001 "&lt;0.001"), and for each test whether its P is exact or from the normal approximation.
/// </summary>
internal static class JournalNumbers
{
    public const string Minus = "\u2212";

    /// <summary>Up to two decimals, no trailing zeros, a minus sign (U+2212) and never "−0".</summary>
    public static string Number(double value)
    {
        var rounded = Math.Round(value, 2, MidpointRounding.AwayFromZero);
        var magnitude = Math.Abs(rounded).ToString("0.##", Inv);
        return rounded < 0 ? Minus + magnitude : magnitude;
    }

    public static string MedianIqr(QuartilesView? quartiles) =>
        quartiles is null ? "—" : $"{Number(quartiles.Median)} ({Number(quartiles.Q1)}, {Number(quartiles.Q3)})";

    public static string P(double p) => p < 0.001 ? "<0.001" : p.ToString("0.000", Inv);

    /// <summary>"0.039 (exact, V = 3)": the P, how it was found, and the statistic under its name.</summary>
    public static string Test(double pValue, bool exact, string statistic, double value) =>
        $"{P(pValue)} ({(exact ? "exact" : "normal approximation")}, {statistic} = {Number(value)})";
}

using Edc.Api.Blinding;
using Edc.Domain.Safety;
using Edc.Domain.Trials;

namespace Edc.Api.Features.SafetySummaries.Report;

/// <summary>
/// What every section of a report reads: the summary and its content, the groups (masked columns other than Pooled),
/// each column's name (its arm too in the closed view), colour and randomized participants. <see cref="Arms"/> is null
/// in the open report.
/// </summary>
internal sealed record ReportContext(
    Trial Trial,
    SafetySummary Summary,
    IReadOnlyDictionary<string, ArmView>? Arms,
    SummaryContent Content,
    IReadOnlyList<string> Groups,
    IReadOnlyDictionary<string, string> Names,
    IReadOnlyDictionary<string, string> Colors,
    IReadOnlyDictionary<string, int> Randomized,
    string? GeneratedBy)
{
    private static readonly string[] Palette = ["#1f5fa8", "#c8501e", "#2a8c5a", "#7a4fa3", "#a8862a", "#2a8a99"];

    public bool Closed => Arms is not null;

    public IReadOnlyList<string> Columns => Content.Columns;

    /// <summary>The series a chart draws: each group, or the pooled column when there are no groups yet.</summary>
    public IReadOnlyList<string> ChartSeries => Groups.Count > 0 ? Groups : [SummaryContent.Pooled];

    public static ReportContext Create(
        Trial trial, SafetySummary summary, SummaryContent content, IReadOnlyDictionary<string, ArmView>? arms, string? generatedBy)
    {
        var groups = content.Columns.Where(c => c != SummaryContent.Pooled).ToList();
        var names = content.Columns.ToDictionary(c => c, c => ColumnName(c, arms), StringComparer.Ordinal);
        var colors = groups.Select((g, i) => (g, Palette[i % Palette.Length])).ToDictionary(x => x.g, x => x.Item2, StringComparer.Ordinal);
        colors[SummaryContent.Pooled] = "#555555";
        var randomized = content.Participants.ToDictionary(p => p.Column, p => p.Randomized, StringComparer.Ordinal);
        return new ReportContext(trial, summary, arms, content, groups, names, colors, randomized, generatedBy);
    }

    private static string ColumnName(string column, IReadOnlyDictionary<string, ArmView>? arms) =>
        arms is not null && arms.TryGetValue(column, out var arm) ? $"{arm.Name} ({arm.Code}; {column})" : column;
}

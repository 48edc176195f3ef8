using Edc.Domain.Safety;
using Edc.Domain.Visits;

namespace Edc.Domain.Forms;

/// <summary>
/// The data of the built-in forms, kept in their own tables, as the values of their items (<see cref="BuiltInForms"/>),
/// typed as <see cref="FormValues"/> reads them back: numbers as decimals, blanks left out. Whatever reads a form's values
/// (the form's answer, exports) reads the built-in ones through these.
/// </summary>
public static class BuiltInFormValues
{
    public static Dictionary<string, object> Of(MrssAssessment mrss)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["assessedOn"] = mrss.AssessedOn,
            ["assessorName"] = mrss.AssessorName,
            ["total"] = (decimal)mrss.Total,
        };
        foreach (var (area, score) in mrss.Scores)
        {
            values[area] = (decimal)score;
        }

        return values;
    }

    public static Dictionary<string, object> Of(InfusionRecord infusion)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        Add(values, "administeredAt", infusion.AdministeredAt);
        Add(values, "kitNumber", infusion.KitNumber);
        Add(values, "notAdministeredReason", infusion.NotAdministeredReason);
        return values;
    }

    public static Dictionary<string, object> Of(AdverseEventReport report)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal)
        {
            ["term"] = report.Term,
            ["onsetDate"] = report.OnsetDate,
            ["ongoing"] = report.Ongoing,
            ["grade"] = (decimal)report.Grade,
            ["serious"] = report.Serious,
            ["relatedness"] = report.Relatedness.ToString(),
            ["actionTaken"] = report.ActionTaken.ToString(),
            ["outcome"] = report.Outcome.ToString(),
            ["awareAt"] = report.AwareAt,
        };
        Add(values, "endDate", report.EndDate);
        Add(values, "expected", report.Expected);
        if (report.SeriousnessCriteria.Count > 0)
        {
            values["seriousnessCriteria"] = report.SeriousnessCriteria.Select(c => c.ToString()).ToList();
        }

        return values;
    }

    private static void Add(Dictionary<string, object> values, string item, object? value)
    {
        if (value is not null)
        {
            values[item] = value;
        }
    }
}

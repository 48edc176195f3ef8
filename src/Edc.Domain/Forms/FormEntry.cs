using System.Globalization;
using Edc.Domain.Forms.Expressions;

namespace Edc.Domain.Forms;

/// <summary>
/// Checks the values submitted for a form against its definition and computes its calculated items. Submitted values are
/// as JSON gives them: <see cref="string"/>, <see cref="decimal"/>, <see cref="bool"/>, a list of strings, or null; each
/// must be of its item's type (a date as <c>yyyy-MM-dd</c>, a date and time in ISO 8601 with its offset). An item outside
/// its range, hidden by its <c>showIf</c> yet given a value, calculated yet sent, or not of the form, is an error; a value
/// outside the soft range is a warning. A required item missing while shown leaves the form <see cref="FormStatus.InProgress"/>.
/// </summary>
public static class FormEntry
{
    /// <param name="form">The form's definition (the version the data are entered under).</param>
    /// <param name="submitted">The values by item code.</param>
    /// <param name="otherForms">The saved value of an item of another form (<c>DM.SEX</c>); null when blank or absent.</param>
    public static FormEntryOutcome Check(FormDefinition form, IReadOnlyDictionary<string, object?> submitted, Func<ItemReference, object?> otherForms)
    {
        var errors = new Dictionary<string, string>(StringComparer.Ordinal);
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        var hidden = new HashSet<string>(StringComparer.Ordinal);
        var missingRequired = false;

        foreach (var code in submitted.Keys.Where(code => form.Item(code) is null))
        {
            errors[code] = $"{code} is not an item of the form {form.Code}.";
        }

        object? ValueOf(ItemReference reference) =>
            (reference.FormCode is null || reference.FormCode == form.Code) && form.Item(reference.ItemCode) is not null
                ? values.GetValueOrDefault(reference.ItemCode)
                : otherForms(reference);

        foreach (var item in form.EvaluationOrder)
        {
            var shown = !form.ShowIfs.TryGetValue(item.Code, out var showIf) || ExpressionEvaluator.IsMet(showIf, ValueOf);
            if (!shown)
            {
                hidden.Add(item.Code);
            }

            var raw = submitted.GetValueOrDefault(item.Code);
            if (item.Type == ItemType.Calculated)
            {
                if (raw is not null)
                {
                    errors[item.Code] = $"{item.Label} is calculated by the server: leave it out.";
                }
                else if (shown && ExpressionEvaluator.Evaluate(form.Expressions[item.Code], ValueOf) is { } calculated && !ExpressionEvaluator.IsBlank(calculated))
                {
                    values[item.Code] = calculated;
                }

                continue;
            }

            if (IsBlankRaw(raw))
            {
                missingRequired |= shown && item.Required;
                continue;
            }

            if (!shown)
            {
                errors[item.Code] = $"{item.Label} must be empty: it is not asked here ({item.ShowIf} does not hold).";
                continue;
            }

            if (Convert(item, raw!, out var error) is { } value)
            {
                values[item.Code] = value;
            }
            else
            {
                errors[item.Code] = error!;
            }
        }

        var status = missingRequired ? FormStatus.InProgress : FormStatus.Complete;
        return new FormEntryOutcome(values, errors, Warnings(form, values), status, hidden);
    }

    /// <summary>The values outside their items' soft ranges: saved, but worth a check.</summary>
    public static IReadOnlyList<FormWarning> Warnings(FormDefinition form, IReadOnlyDictionary<string, object> values) =>
        [.. form.Items
            .Where(item => item.SoftRange is { } soft && values.GetValueOrDefault(item.Code) is decimal number && !soft.Contains(number))
            .Select(item => new FormWarning(
                item.Code, $"{item.Label} is {values[item.Code]}{Units(item)}, outside the expected {item.SoftRange}{Units(item)}: please check it."))];

    private static bool IsBlankRaw(object? raw) => raw is null or "" || raw is IReadOnlyCollection<string> { Count: 0 };

    private static object? Convert(ItemSpec item, object raw, out string? error)
    {
        error = null;
        switch (item.Type, raw)
        {
            case (ItemType.Text, string text):
                var maxLength = item.MaxLength ?? FormDefinition.MaxTextLength;
                return text.Length <= maxLength ? text : Refuse($"{item.Label} has {maxLength} characters at most.", out error);
            case (ItemType.Integer, decimal number):
                return number == decimal.Truncate(number) ? InRange(item, decimal.Truncate(number), out error) : Refuse($"{item.Label} is a whole number.", out error);
            case (ItemType.Decimal, decimal number):
                return item.Precision is { } precision && number.Scale > precision && number != Math.Round(number, precision)
                    ? Refuse($"{item.Label} has {precision} decimal{(precision == 1 ? "" : "s")} at most.", out error)
                    : InRange(item, number, out error);
            case (ItemType.Date, string text):
                return DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
                    ? date
                    : Refuse($"{item.Label} is a date written yyyy-MM-dd.", out error);
            case (ItemType.DateTime, string text):
                return text.Length >= 20 && (text.EndsWith('Z') || text[^6] is '+' or '-')
                    && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var instant)
                    ? instant.ToUniversalTime()
                    : Refuse($"{item.Label} is a date and time in ISO 8601 with its offset (2026-12-07T09:30:00Z).", out error);
            case (ItemType.Boolean, bool yes):
                return yes;
            case (ItemType.Choice, string code):
                return item.CodeList!.Any(c => c.Code == code) ? code : Refuse($"{item.Label} is one of {Codes(item)}.", out error);
            case (ItemType.MultiChoice, IReadOnlyCollection<string> codes):
                return codes.All(code => item.CodeList!.Any(c => c.Code == code)) && codes.Distinct(StringComparer.Ordinal).Count() == codes.Count
                    ? codes.ToList()
                    : Refuse($"{item.Label} lists some of {Codes(item)}, each once.", out error);
            default:
                return Refuse($"{item.Label} takes {Expected(item.Type)}.", out error);
        }
    }

    private static decimal? InRange(ItemSpec item, decimal number, out string? error)
    {
        error = null;
        return item.Range is { } range && !range.Contains(number)
            ? Refuse($"{item.Label} must be {range}{Units(item)}.", out error) as decimal?
            : number;
    }

    private static object? Refuse(string message, out string? error)
    {
        error = message;
        return null;
    }

    private static string Units(ItemSpec item) => item.Units is { } units ? " " + units : string.Empty;

    private static string Codes(ItemSpec item) => string.Join(", ", item.CodeList!.Select(c => $"{c.Code} ({c.Label})"));

    private static string Expected(ItemType type) => type switch
    {
        ItemType.Text => "a text",
        ItemType.Integer => "a whole number",
        ItemType.Decimal => "a number",
        ItemType.Date => "a date written yyyy-MM-dd",
        ItemType.DateTime => "a date and time in ISO 8601 with its offset",
        ItemType.Boolean => "true or false",
        ItemType.Choice => "one code of its list",
        _ => "a list of codes of its list",
    };
}

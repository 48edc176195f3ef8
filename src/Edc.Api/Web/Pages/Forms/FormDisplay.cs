using System.Globalization;
using System.Text.Json;
using Edc.Domain.Forms;

namespace Edc.Api.Web.Pages.Forms;

/// <summary>Form values as people read them: a choice by its label, yes or no, a number as typed with its units, a time in UTC.</summary>
public static class FormDisplay
{
    /// <summary>At most this many choices are drawn as radio buttons; a longer list is a select.</summary>
    public const int MaxRadioChoices = 5;

    /// <summary>A value of <paramref name="item"/> in words; null when blank.</summary>
    public static string? Text(ItemSpec item, JsonElement values)
    {
        if (values.ValueKind != JsonValueKind.Object || !values.TryGetProperty(item.Code, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        var text = value.ValueKind switch
        {
            JsonValueKind.Number => Number(value.GetDecimal()),
            JsonValueKind.True => "Yes",
            JsonValueKind.False => "No",
            JsonValueKind.Array => string.Join(", ", value.EnumerateArray().Select(code => Label(item, code.GetString()))),
            _ when item.Type == ItemType.DateTime && DateTimeOffset.TryParse(value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) =>
                at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture),
            _ => item.CodeList is not null ? Label(item, value.GetString()) : value.GetString(),
        };
        return item.Units is { } units && value.ValueKind == JsonValueKind.Number ? $"{text} {units}" : text;
    }

    /// <summary>A number without trailing zeros (<c>700</c>, not <c>700.0</c>), as the page's script writes a calculated value.</summary>
    public static string Number(decimal number) => number.ToString("0.############", CultureInfo.InvariantCulture);

    /// <summary>The step of a number field: whole numbers, the item's decimals, or any.</summary>
    public static string Step(ItemSpec item) => item.Type == ItemType.Integer ? "1"
        : item.Precision is { } precision ? (precision == 0 ? "1" : "0." + new string('0', precision - 1) + "1")
        : "any";

    /// <summary>What an item's hint says of its expected values: the range, the precision, UTC for a time.</summary>
    public static string? Hint(ItemSpec item)
    {
        var units = item.Units is { } u ? " " + u : string.Empty;
        return item.Type switch
        {
            ItemType.Integer or ItemType.Decimal when item.Range is { } range => $"{range}{units}" + Decimals(item),
            ItemType.Decimal when item.Precision is not null => Decimals(item).TrimStart(',', ' '),
            ItemType.DateTime => "Date and time in UTC",
            ItemType.MultiChoice => "Tick all that apply",
            ItemType.Calculated => "Calculated from the other values",
            _ => null,
        };
    }

    private static string Decimals(ItemSpec item) => item.Type == ItemType.Decimal && item.Precision is { } precision
        ? $", {precision} decimal{(precision == 1 ? string.Empty : "s")} at most"
        : string.Empty;

    private static string Label(ItemSpec item, string? code) => item.CodeList?.FirstOrDefault(c => c.Code == code)?.Label ?? code ?? string.Empty;
}

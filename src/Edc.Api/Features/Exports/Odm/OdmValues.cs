using System.Globalization;
using System.Text.Json;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>Item types as ODM data types, and values as ODM writes them (docs/odm.md).</summary>
internal static class OdmValues
{
    public static string DataType(ItemType type) => type switch
    {
        ItemType.Integer => "integer",
        ItemType.Decimal or ItemType.Calculated => "float",
        ItemType.Date => "date",
        ItemType.DateTime => "datetime",
        ItemType.Boolean => "boolean",
        _ => "text",
    };

    public static string Number(decimal value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A value as the form's values hold it (<see cref="FormValues.Read"/>, <see cref="BuiltInFormValues"/>); null for a blank.</summary>
    public static string? Format(object? value) => value switch
    {
        null => null,
        decimal number => Number(number),
        int number => number.ToString(CultureInfo.InvariantCulture),
        DateOnly date => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        DateTimeOffset instant => FormValues.Format(instant),
        bool yes => yes ? "true" : "false",
        IEnumerable<string> codes => Blank(string.Join(' ', codes)),
        _ => Blank(value.ToString()),
    };

    /// <summary>
    /// A value as the audit trail holds it: a form's item as its JSON writes it (text unquoted, a list of codes as a JSON
    /// array), a built-in form's column as the trail formats it (times round-trip, a list of enumeration values as JSON
    /// numbers, which are the positions of its code list).
    /// </summary>
    public static string? FromAudit(string? text, ItemSpec item)
    {
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return item.Type switch
        {
            ItemType.MultiChoice when text.StartsWith('[') => Codes(text, item),
            ItemType.DateTime when DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var instant) => FormValues.Format(instant),
            _ => text,
        };
    }

    private static string? Codes(string json, ItemSpec item)
    {
        using var document = JsonDocument.Parse(json);
        return Blank(string.Join(' ', document.RootElement.EnumerateArray().Select(e =>
            e.ValueKind == JsonValueKind.Number && item.CodeList is { } codes && e.GetInt32() is var i && i >= 0 && i < codes.Count ? codes[i].Code : e.ToString())));
    }

    private static string? Blank(string? text) => string.IsNullOrEmpty(text) ? null : text;
}

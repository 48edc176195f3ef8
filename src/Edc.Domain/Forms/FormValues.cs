using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Edc.Domain.Forms.Expressions;

namespace Edc.Domain.Forms;

/// <summary>
/// A form's values as stored: one JSON object of item codes, numbers as JSON numbers, dates as <c>yyyy-MM-dd</c>, dates
/// and times in UTC (<c>2026-12-07T09:30:00Z</c>), booleans, a multiple choice as an array of codes; blanks left out.
/// Read back typed by the item's kind, as the expression evaluator takes them.
/// </summary>
public static class FormValues
{
    public const string Empty = "{}";

    public static string Write(FormDefinition form, IReadOnlyDictionary<string, object> values)
    {
        var json = new JsonObject();
        foreach (var item in form.Items.Where(i => values.ContainsKey(i.Code)))
        {
            json[item.Code] = values[item.Code] switch
            {
                decimal number => JsonValue.Create(number),
                string text => JsonValue.Create(text),
                DateOnly date => JsonValue.Create(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)),
                DateTimeOffset instant => JsonValue.Create(Format(instant)),
                bool yes => JsonValue.Create(yes),
                IEnumerable<string> codes => new JsonArray([.. codes.Select(c => (JsonNode?)JsonValue.Create(c))]),
                var other => throw new ArgumentException($"{item.Code} holds a {other.GetType().Name}, which a form does not store.", nameof(values)),
            };
        }

        return json.ToJsonString();
    }

    /// <summary>The stored values typed by their items' kinds; values of items the form no longer has are left out.</summary>
    public static Dictionary<string, object> Read(FormDefinition form, string json)
    {
        var values = new Dictionary<string, object>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            if (form.Kinds.TryGetValue(property.Name, out var kind))
            {
                values[property.Name] = Typed(kind, property.Value);
            }
        }

        return values;
    }

    /// <summary>The stored values as a client sends them (strings, numbers, booleans, lists of codes), to check them again.</summary>
    public static Dictionary<string, object?> Raw(string json)
    {
        var values = new Dictionary<string, object?>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var property in document.RootElement.EnumerateObject())
        {
            values[property.Name] = RawValue(property.Value);
        }

        return values;
    }

    /// <summary>A JSON value as the form's checks take it; anything else (an object, a list of non-strings) as it is, to be refused.</summary>
    public static object? RawValue(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => null,
        JsonValueKind.String => element.GetString(),
        JsonValueKind.Number when element.TryGetDecimal(out var number) => number,
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        JsonValueKind.Array when element.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String) =>
            element.EnumerateArray().Select(e => e.GetString()!).ToList(),
        _ => element.Clone(),
    };

    public static string Format(DateTimeOffset instant) =>
        instant.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture);

    private static object Typed(ValueKind kind, JsonElement value) => kind switch
    {
        ValueKind.Number => value.GetDecimal(),
        ValueKind.Date => DateOnly.ParseExact(value.GetString()!, "yyyy-MM-dd", CultureInfo.InvariantCulture),
        ValueKind.DateTime => DateTimeOffset.Parse(value.GetString()!, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal),
        ValueKind.Boolean => value.GetBoolean(),
        ValueKind.Codes => value.EnumerateArray().Select(e => e.GetString()!).ToList(),
        _ => value.GetString()!,
    };
}

using System.Globalization;
using System.Text.Json;
using Edc.Domain.Forms;

namespace Edc.Api.Web.Pages.Forms;

/// <summary>
/// A form's values as its page holds them: the texts of its inputs by item code. A field's name says what kind of value it
/// takes (<c>Number.WEIGHT</c>, <c>Choice.SEX</c>, <c>Codes.SYMPTOMS</c>), so a posted form becomes the handler's values
/// without reading the definition first (the handler checks every value against it). The script of the page builds the
/// same values (wwwroot/js/forms.js).
/// </summary>
public sealed class EnteredValues
{
    // The kind of value each item type's fields take, as their names and data-kind attributes write it.
    private const string Text = "Text";
    private const string Number = "Number";
    private const string Date = "Date";
    private const string DateTime = "DateTime";
    private const string Boolean = "Boolean";
    private const string Choice = "Choice";
    private const string Codes = "Codes";

    private readonly Dictionary<string, (string Kind, IReadOnlyList<string> Texts)> _items;

    private EnteredValues(Dictionary<string, (string Kind, IReadOnlyList<string> Texts)> items) => _items = items;

    public static EnteredValues None { get; } = new([]);

    /// <summary>The kind of value an item takes; null for a calculated item, which takes none.</summary>
    public static string? KindOf(ItemType type) => type switch
    {
        ItemType.Text => Text,
        ItemType.Integer or ItemType.Decimal => Number,
        ItemType.Date => Date,
        ItemType.DateTime => DateTime,
        ItemType.Boolean => Boolean,
        ItemType.Choice => Choice,
        ItemType.MultiChoice => Codes,
        _ => null,
    };

    /// <summary>The name of an item's field: its kind and its code.</summary>
    public static string FieldName(ItemSpec item) => $"{KindOf(item.Type)}.{item.Code}";

    /// <summary>The values a form posted, read from the fields' names; other fields (the token, the reason) are left out.</summary>
    public static EnteredValues Posted(IFormCollection form)
    {
        var items = new Dictionary<string, (string, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (var (name, texts) in form)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            var kind = dot > 0 ? name[..dot] : null;
            if (kind is Text or Number or Date or DateTime or Boolean or Choice or Codes)
            {
                items[name[(dot + 1)..]] = (kind, [.. texts.OfType<string>()]);
            }
        }

        return new(items);
    }

    /// <summary>Stored values (as the form's answer writes them) as the form's fields show them; a date and time in UTC, to the minute.</summary>
    public static EnteredValues Stored(FormDefinition form, JsonElement values)
    {
        var items = new Dictionary<string, (string, IReadOnlyList<string>)>(StringComparer.Ordinal);
        foreach (var property in values.EnumerateObject())
        {
            if (form.Item(property.Name) is { } item && KindOf(item.Type) is { } kind)
            {
                items[item.Code] = (kind, property.Value.ValueKind switch
                {
                    JsonValueKind.Array => [.. property.Value.EnumerateArray().Select(e => e.GetString() ?? string.Empty)],
                    JsonValueKind.String when kind == DateTime && DateTimeOffset.TryParse(property.Value.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) =>
                        [at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture)],
                    JsonValueKind.String => [property.Value.GetString()!],
                    JsonValueKind.True => ["true"],
                    JsonValueKind.False => ["false"],
                    _ => [property.Value.GetRawText()],
                });
            }
        }

        return new(items);
    }

    /// <summary>What an item's field shows: its text (the first, for a field of one value).</summary>
    public string Of(string code) => _items.TryGetValue(code, out var item) && item.Texts.Count > 0 ? item.Texts[0] : string.Empty;

    /// <summary>Whether a choice or a box is the one entered.</summary>
    public bool Has(string code, string value) => _items.TryGetValue(code, out var item) && item.Texts.Contains(value, StringComparer.Ordinal);

    /// <summary>
    /// The values as the handlers take them: numbers as numbers, yes and no as booleans, a date and time (entered in UTC) in
    /// ISO 8601, several codes as a list; a blank field is left out. What cannot be read as its kind is sent as it was
    /// typed, for the handler to refuse in words.
    /// </summary>
    public Dictionary<string, JsonElement> ToValues()
    {
        var values = new Dictionary<string, JsonElement>(StringComparer.Ordinal);
        foreach (var (code, (kind, texts)) in _items)
        {
            var entered = texts.Where(t => !string.IsNullOrWhiteSpace(t)).ToList();
            if (entered.Count == 0)
            {
                continue;
            }

            var text = entered[0];
            values[code] = kind switch
            {
                Codes => JsonSerializer.SerializeToElement(entered),
                Number when decimal.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number) => JsonSerializer.SerializeToElement(number),
                Boolean when bool.TryParse(text, out var yes) => JsonSerializer.SerializeToElement(yes),
                DateTime when System.DateTime.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm", "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var at) =>
                    JsonSerializer.SerializeToElement(FormValues.Format(new DateTimeOffset(at, TimeSpan.Zero))),
                _ => JsonSerializer.SerializeToElement(text),
            };
        }

        return values;
    }
}

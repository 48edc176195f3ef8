using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edc.Domain.Forms;

/// <summary>A form's definition as the contract writes it (camelCase, item types as <c>decimal</c>, <c>multiChoice</c>): how it is stored.</summary>
public static class FormSpecJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter<ItemType>(ItemTypeNames.Policy, allowIntegerValues: false) },
    };

    public static string Write(FormSpec spec) => JsonSerializer.Serialize(spec, Options);

    public static FormSpec Read(string json) =>
        JsonSerializer.Deserialize<FormSpec>(json, Options) ?? throw new InvalidOperationException("A stored form definition is empty.");
}

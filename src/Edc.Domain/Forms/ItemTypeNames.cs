using System.Text.Json;

namespace Edc.Domain.Forms;

/// <summary>The item types as the contract writes them: <c>text</c>, <c>integer</c>, ..., <c>datetime</c>, <c>multiChoice</c>.</summary>
public sealed class ItemTypeNames : JsonNamingPolicy
{
    public static readonly ItemTypeNames Policy = new();

    private ItemTypeNames()
    {
    }

    public static string Name(ItemType type) => type == ItemType.MultiChoice ? "multiChoice" : type.ToString().ToLowerInvariant();

    public static ItemType? Parse(string? name) =>
        Enum.GetValues<ItemType>().Select(t => (ItemType?)t).FirstOrDefault(t => Name(t!.Value) == name);

    public override string ConvertName(string name) => Name(Enum.Parse<ItemType>(name));
}

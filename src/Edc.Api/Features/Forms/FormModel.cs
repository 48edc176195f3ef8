using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

/// <summary>A form's definition as the contract writes it: in a trial definition, a new version's request, and answers.</summary>
public sealed record FormModel(string? Code, string? Name, int? Version, bool Log, List<ItemModel?>? Items)
{
    public static FormModel From(VersionedForm form) => From(form.Definition.Spec, form.Version);

    public static FormModel From(FormSpec spec, int version) => new(spec.Code, spec.Name, version, spec.Log, [.. spec.Items.Select(ItemModel.From)]);

    /// <summary>The definition to check, or the problems of its item types (what <see cref="FormDefinition.Define"/> cannot read).</summary>
    public (FormSpec? Spec, IReadOnlyList<DefinitionProblem> Problems) ToSpec()
    {
        var problems = new List<DefinitionProblem>();
        var items = new List<ItemSpec>();
        for (var i = 0; i < (Items?.Count ?? 0); i++)
        {
            if (Items![i] is not { } item)
            {
                problems.Add(new($"items[{i}]", "An item is an object with a code, a label and a type."));
            }
            else if (ItemTypeNames.Parse(item.Type) is not { } type)
            {
                problems.Add(new($"items[{i}].type", $"The type is one of {string.Join(", ", Enum.GetValues<ItemType>().Select(ItemTypeNames.Name))}."));
            }
            else
            {
                items.Add(new ItemSpec(
                    item.Code!, item.Label!, type, item.Required, item.MaxLength, item.Precision, item.Units,
                    item.Range?.ToRange(), item.SoftRange?.ToRange(), item.CodeList?.Select(c => new CodeListEntry(c?.Code!, c?.Label!)).ToList(),
                    item.ShowIf, item.Expression));
            }
        }

        return problems.Count > 0 ? (null, problems) : (new FormSpec(Code!, Name!, Log, items), []);
    }
}

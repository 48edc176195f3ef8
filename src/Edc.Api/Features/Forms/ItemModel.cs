using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

public sealed record ItemModel(
    string? Code,
    string? Label,
    string? Type,
    bool Required = false,
    int? MaxLength = null,
    int? Precision = null,
    string? Units = null,
    RangeModel? Range = null,
    RangeModel? SoftRange = null,
    List<CodeModel?>? CodeList = null,
    string? ShowIf = null,
    string? Expression = null)
{
    public static ItemModel? From(ItemSpec item) => new(
        item.Code, item.Label, ItemTypeNames.Name(item.Type), item.Required, item.MaxLength, item.Precision, item.Units,
        RangeModel.From(item.Range), RangeModel.From(item.SoftRange), item.CodeList?.Select(c => (CodeModel?)new CodeModel(c.Code, c.Label)).ToList(),
        item.ShowIf, item.Expression);
}

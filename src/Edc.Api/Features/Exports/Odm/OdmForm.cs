using Edc.Domain.Forms;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>
/// A form as the export describes it: its newest version's items, and the items only its earlier versions had (data
/// entered under those keep them). Items of every version are unique by code.
/// </summary>
internal sealed record OdmForm(string Code, string Name, bool Log, int Version, IReadOnlyList<ItemSpec> Items, IReadOnlyList<ItemSpec> EarlierItems)
{
    public IEnumerable<ItemSpec> AllItems => Items.Concat(EarlierItems);

    public static OdmForm Of(FormCatalog catalog, VersionedForm latest)
    {
        var current = latest.Definition.Items;
        var earlier = Enumerable.Range(1, latest.Version - 1).Reverse()
            .SelectMany(version => catalog.Find(latest.Code, version)?.Definition.Items ?? [])
            .Where(item => current.All(i => i.Code != item.Code))
            .DistinctBy(item => item.Code)
            .ToList();
        return new OdmForm(latest.Code, latest.Name, latest.Log, latest.Version, current, earlier);
    }
}

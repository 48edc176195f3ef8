namespace Edc.Domain.Forms;

/// <summary>A case report form as its definition states it, before it is checked (<see cref="FormDefinition.Define"/>).</summary>
public sealed record FormSpec(string Code, string Name, bool Log, IReadOnlyList<ItemSpec> Items);

namespace Edc.Domain.Forms;

/// <summary>An item of a form as its definition states it (a definition file or a request), before it is checked.</summary>
public sealed record ItemSpec(
    string Code,
    string Label,
    ItemType Type,
    bool Required = false,
    int? MaxLength = null,
    int? Precision = null,
    string? Units = null,
    NumberRange? Range = null,
    NumberRange? SoftRange = null,
    IReadOnlyList<CodeListEntry>? CodeList = null,
    string? ShowIf = null,
    string? Expression = null);

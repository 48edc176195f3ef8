namespace Edc.Domain.DataManagement;

/// <summary>Why the system raised a query: a value outside its item's soft range, or a required item missing at a completed visit.</summary>
public enum AutomaticQueryKind
{
    SoftRange,
    MissingRequired,
}

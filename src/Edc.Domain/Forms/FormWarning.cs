namespace Edc.Domain.Forms;

/// <summary>A value saved though outside its item's soft range: it raises a query on the item.</summary>
public sealed record FormWarning(string ItemCode, string Message);

namespace Edc.Domain.Common;

/// <summary>
/// A form's values, kept as one JSON object of item codes: the audit trail records each item that changed as a field of
/// its own (its code, old value, new value), not the document as a whole.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class ItemValuesAttribute : Attribute;

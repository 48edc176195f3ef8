namespace Edc.Domain.Common;

/// <summary>
/// A value that would unblind (an arm, a group key). The audit trail records that it was set or changed, never
/// the value itself; the value leaves the system only through the blinding gate.
/// </summary>
[AttributeUsage(AttributeTargets.Property)]
public sealed class SealedAttribute : Attribute;

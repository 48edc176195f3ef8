namespace Edc.Domain.Forms;

/// <summary>
/// What a form's submitted values come to: the values to keep (typed, calculated ones computed, blanks left out), the
/// errors that refuse the whole save (by item code), the warnings of a save that goes through, the form's status, and
/// the items not asked with these values (their <c>showIf</c> does not hold), which a page hides.
/// </summary>
public sealed record FormEntryOutcome(
    IReadOnlyDictionary<string, object> Values,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<FormWarning> Warnings,
    FormStatus Status,
    IReadOnlySet<string> Hidden);

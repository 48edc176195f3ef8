namespace Edc.Domain.Forms;

/// <summary>
/// What a form's submitted values come to: the values to keep (typed, calculated ones computed, blanks left out), the
/// errors that refuse the whole save (by item code), the warnings of a save that goes through, and the form's status.
/// </summary>
public sealed record FormEntryOutcome(
    IReadOnlyDictionary<string, object> Values,
    IReadOnlyDictionary<string, string> Errors,
    IReadOnlyList<FormWarning> Warnings,
    FormStatus Status);

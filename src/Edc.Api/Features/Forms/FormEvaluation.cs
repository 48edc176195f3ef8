using System.Text.Json;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

/// <summary>
/// What a form's values come to, as a save would find them, with nothing saved: the items asked (those whose
/// <c>showIf</c> holds, in the form's order), the values a save would keep (calculated ones computed), the status, and
/// the errors that would refuse the save and the warnings that would not. A page shows the server's answer live.
/// </summary>
public sealed record FormEvaluation(
    string FormCode,
    int FormVersion,
    IReadOnlyList<string> Shown,
    JsonElement Values,
    FormStatus Status,
    IReadOnlyList<FormItemError> Errors,
    IReadOnlyList<FormWarning> Warnings)
{
    public static FormEvaluation Of(VersionedForm form, FormEntryOutcome outcome)
    {
        using var values = JsonDocument.Parse(FormValues.Write(form.Definition, outcome.Values));
        return new(
            form.Code,
            form.Version,
            [.. form.Definition.Items.Select(i => i.Code).Where(code => !outcome.Hidden.Contains(code))],
            values.RootElement.Clone(),
            outcome.Status,
            [.. outcome.Errors.Select(e => new FormItemError(e.Key, e.Value))],
            outcome.Warnings);
    }
}

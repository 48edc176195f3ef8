using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

/// <summary>
/// A form's data at a visit, or a log form's entry: the values (calculated ones included), the form's version they are
/// entered under, the status and the soft-range warnings. <c>verified</c> and <c>frozen</c> are a visit form's review, set by
/// the reads that load it (false here); <c>signed</c> comes with signatures. <see cref="Version"/> is the ETag (0 before the first save, which has none).
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The contract names the field signed.")]
public sealed record FormDataView(
    Guid? Id,
    string FormCode,
    int FormVersion,
    JsonElement Values,
    FormStatus Status,
    IReadOnlyList<FormWarning> Warnings,
    bool Verified,
    bool Frozen,
    bool Signed,
    bool Removed,
    string? RemovedReason,
    int Version) : IVersionedView
{
    /// <summary>
    /// The signatures of the data (of the form's visit, and of the casebook), valid or invalidated; set by the reads of a
    /// visit's form, empty elsewhere. <see cref="Signed"/>: one of them still holds.
    /// </summary>
    public IReadOnlyList<SignatureView> Signatures { get; init; } = [];

    private static readonly JsonElement NoValues = JsonDocument.Parse(FormValues.Empty).RootElement.Clone();

    public static FormDataView From(FormRecord record, VersionedForm form) =>
        Of(record.Id, form, record.Values, record.Status, record.Version, record.Removed, record.RemovedReason);

    /// <summary>The view of values stored as <see cref="FormValues"/> writes them, under <paramref name="form"/>'s version.</summary>
    public static FormDataView Of(Guid id, VersionedForm form, string values, FormStatus status, int version, bool removed = false, string? removedReason = null)
    {
        // In the form's order of items: the database keeps a JSON document's keys in an order of its own.
        var typed = FormValues.Read(form.Definition, values);
        using var document = JsonDocument.Parse(FormValues.Write(form.Definition, typed));
        return new(
            id, form.Code, form.Version, document.RootElement.Clone(), status, FormEntry.Warnings(form.Definition, typed),
            Verified: false, Frozen: false, Signed: false, removed, removedReason, version);
    }

    /// <summary>A visit's form not yet entered: it will be entered under the newest version.</summary>
    public static FormDataView NotStarted(VersionedForm form) =>
        new(null, form.Code, form.Version, NoValues, FormStatus.NotStarted, [], false, false, false, false, null, 0);
}

using Edc.Api.Blinding;
using Edc.Api.Common.Signatures;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>One batch of an export's participants with everything written about them, read before they are written.</summary>
internal sealed record OdmBatch(
    IReadOnlyList<OdmBatch.Subject> Subjects,
    ILookup<Guid, OdmBatch.Visit> Visits,
    ILookup<Guid, OdmBatch.Record> Records,
    ILookup<Guid, SignatureRow> Signatures,
    ILookup<(string EntityType, string EntityId), OdmBatch.Change> Changes,
    IReadOnlyDictionary<Guid, ArmView> Arms)
{
    public sealed record Subject(Guid Id, string SiteCode, string ScreeningNumber, string? RandomizationNumber, DateTimeOffset? RandomizedAt);

    public sealed record Visit(Guid Id, string Code, int? Day);

    /// <summary>
    /// A form's data at a visit or a log entry: a trial form's record, an MRSS, an infusion or an adverse event, with its
    /// values as the form reads them, and the entity under which the audit trail recorded its changes.
    /// </summary>
    public sealed record Record(
        string EntityType, Guid Id, Guid? VisitId, string FormCode, int FormVersion, Dictionary<string, object> Values, bool Removed, DateTimeOffset EnteredAt);

    /// <summary>A row of the audit trail about a record's field.</summary>
    public sealed record Change(
        long Sequence, string Action, string Field, Guid? UserId, DateTimeOffset OccurredAt, string? OldValue, string? NewValue, string? Reason);
}

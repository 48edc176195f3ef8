namespace Edc.Api.Common.Changes;

/// <summary>
/// One piece of a casebook that a change adds or modifies, as the change tracker shows it before the save: a form's
/// record at a visit (<see cref="FormCode"/> set), a visit itself (no form), or a log entry (no visit).
/// </summary>
public sealed record ChangedData(Guid ParticipantId, Guid? VisitId, string? FormCode, Guid? LogEntryId, object Entity)
{
    /// <summary>Data of this visit's form: what a freeze or a verification of that form is about.</summary>
    public bool IsForm(Guid visitId, string formCode) => VisitId == visitId && FormCode == formCode;
}

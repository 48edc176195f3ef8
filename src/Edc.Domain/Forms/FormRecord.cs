using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Visits;

namespace Edc.Domain.Forms;

/// <summary>
/// The data of one form for one participant: at a visit, or an entry of a log form (no visit). The values are one JSON
/// document checked against the form's version they were entered under (<see cref="FormEntry"/>), which they keep when
/// edited; the audit trail records each changed item. A log entry is never deleted: it is marked removed, with a reason.
/// </summary>
public sealed class FormRecord : VersionedRecord, ITrialScoped, ISiteScoped
{
    private FormRecord()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    /// <summary>The visit; null for a log form's entry.</summary>
    public Guid? VisitId { get; private set; }

    public string FormCode { get; private set; } = string.Empty;

    public int FormVersion { get; private set; }

    [ItemValues]
    public string Values { get; private set; } = FormValues.Empty;

    public FormStatus Status { get; private set; }

    public bool Removed { get; private set; }

    public string? RemovedReason { get; private set; }

    public DateTimeOffset EnteredAt { get; private set; }

    /// <summary>The first save of a form at a visit, or a new log entry.</summary>
    public static FormRecord Enter(Participant participant, ScheduledVisit? visit, VersionedForm form, FormEntryOutcome outcome, DateTimeOffset now)
    {
        if (form.Log != (visit is null))
        {
            throw new RuleViolationException(RuleCodes.FormNotAtVisit, form.Log
                ? $"{form.Code} is a log form: its entries belong to the participant, not to a visit."
                : $"{form.Code} is entered at a visit.");
        }

        var record = new FormRecord
        {
            Id = Guid.NewGuid(),
            TrialId = participant.TrialId,
            SiteId = participant.SiteId,
            ParticipantId = participant.Id,
            VisitId = visit?.Id,
            FormCode = form.Code,
            FormVersion = form.Version,
            EnteredAt = now,
        };
        record.Apply(form, outcome);
        return record;
    }

    /// <summary>An edit, under the version the data were entered with (<paramref name="form"/> is that version); the same values again change nothing.</summary>
    public void Revise(VersionedForm form, FormEntryOutcome outcome)
    {
        if (form.Code != FormCode || form.Version != FormVersion)
        {
            throw new ArgumentException($"The data were entered under {FormCode} version {FormVersion}.", nameof(form));
        }

        RequireNotRemoved();
        // The stored document comes back from the database in its own spacing and key order: compare the values as written.
        if (FormValues.Write(form.Definition, outcome.Values) != FormValues.Write(form.Definition, FormValues.Read(form.Definition, Values)) || outcome.Status != Status)
        {
            Apply(form, outcome);
        }
    }

    public void Remove(string reason)
    {
        RequireNotRemoved();
        if (VisitId is not null)
        {
            throw new RuleViolationException(RuleCodes.FormNotAtVisit, "Only a log form's entry is removed; a visit's form is corrected.");
        }

        Removed = true;
        RemovedReason = reason;
        CountVersion();
    }

    private void RequireNotRemoved()
    {
        if (Removed)
        {
            throw new RuleViolationException(RuleCodes.FormEntryRemoved, "The entry was removed; it no longer changes.");
        }
    }

    private void Apply(VersionedForm form, FormEntryOutcome outcome)
    {
        if (outcome.Errors.Count > 0)
        {
            throw new ArgumentException("Values with errors are not saved.", nameof(outcome));
        }

        Values = FormValues.Write(form.Definition, outcome.Values);
        Status = outcome.Status;
        CountVersion();
    }
}

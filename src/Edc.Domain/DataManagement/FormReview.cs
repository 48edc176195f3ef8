using Edc.Domain.Common;
using Edc.Domain.Visits;

namespace Edc.Domain.DataManagement;

/// <summary>
/// The data-management state of one form of one visit: whether a monitor verified it against the source documents (and
/// who, when), and whether a data manager froze it. Any change to the form's data clears the verification; a frozen form
/// refuses changes until it is unfrozen. One row per visit and form, made on the first verification or freeze.
/// </summary>
public sealed class FormReview : VersionedRecord, ITrialScoped, ISiteScoped
{
    private FormReview()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public Guid VisitId { get; private set; }

    public string FormCode { get; private set; } = string.Empty;

    public Guid? VerifiedBy { get; private set; }

    public DateTimeOffset? VerifiedAt { get; private set; }

    public Guid? FrozenBy { get; private set; }

    public DateTimeOffset? FrozenAt { get; private set; }

    public bool IsVerified => VerifiedAt is not null;

    public bool IsFrozen => FrozenAt is not null;

    public static FormReview For(ScheduledVisit visit, string formCode) => new()
    {
        Id = Guid.NewGuid(),
        TrialId = visit.TrialId,
        SiteId = visit.SiteId,
        ParticipantId = visit.ParticipantId,
        VisitId = visit.Id,
        FormCode = formCode,
    };

    /// <summary>A monitor verified the form's data as they stand now (again, if verified before).</summary>
    public void Verify(Guid monitorId, DateTimeOffset now)
    {
        VerifiedBy = monitorId;
        VerifiedAt = now;
        CountVersion();
    }

    /// <summary>The form's data changed: its verification no longer holds. False when it was not verified.</summary>
    public bool ClearVerification()
    {
        if (VerifiedAt is null)
        {
            return false;
        }

        (VerifiedBy, VerifiedAt) = (null, null);
        CountVersion();
        return true;
    }

    public void Freeze(Guid dataManagerId, DateTimeOffset now)
    {
        if (IsFrozen)
        {
            throw new RuleViolationException(RuleCodes.FormFrozen, "The form is already frozen.");
        }

        (FrozenBy, FrozenAt) = (dataManagerId, now);
        CountVersion();
    }

    public void Unfreeze()
    {
        if (!IsFrozen)
        {
            throw new RuleViolationException(RuleCodes.FormNotFrozen, "The form is not frozen.");
        }

        (FrozenBy, FrozenAt) = (null, null);
        CountVersion();
    }

    /// <summary>Refuses a change to the form's data while it is frozen.</summary>
    public void RequireNotFrozen()
    {
        if (IsFrozen)
        {
            throw new RuleViolationException(RuleCodes.FormFrozen, $"The {FormCode} form is frozen: a data manager unfreezes it for changes.");
        }
    }
}

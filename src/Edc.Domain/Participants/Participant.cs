using Edc.Domain.Common;
using Edc.Domain.Trials;

namespace Edc.Domain.Participants;

/// <summary>
/// A person in a trial, from screening on. Holds no arm: the assignment lives with the randomization list and
/// leaves the system only through the blinding gate.
/// </summary>
public sealed class Participant : ITrialScoped, ISiteScoped
{
    private Participant()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public string ScreeningNumber { get; private set; } = string.Empty;

    public string? Sex { get; private set; }

    public int? BirthYear { get; private set; }

    public ParticipantStatus Status { get; private set; }

    public DateTimeOffset RegisteredAt { get; private set; }

    public DateOnly? ConsentDate { get; private set; }

    public Dictionary<string, bool> Eligibility { get; private set; } = [];

    public Dictionary<string, string> Strata { get; private set; } = [];

    /// <summary>The combination of stratification levels the randomization sequence is kept for.</summary>
    public string? StratumKey { get; private set; }

    public DateTimeOffset? EnrolledAt { get; private set; }

    public string? RandomizationNumber { get; private set; }

    public string? KitNumber { get; private set; }

    public DateTimeOffset? RandomizedAt { get; private set; }

    public DateOnly? WithdrawnOn { get; private set; }

    public string? WithdrawalReason { get; private set; }

    public DateTimeOffset? EmergencyUnblindedAt { get; private set; }

    public Guid? EmergencyUnblindedBy { get; private set; }

    public string? EmergencyUnblindingReason { get; private set; }

    public DateOnly? DiedOn { get; private set; }

    /// <summary>The date of the schedule's last visit, which completed the participant.</summary>
    public DateOnly? CompletedOn { get; private set; }

    /// <summary>
    /// The day participation ended, whichever came first: withdrawal, completion or death (a death after a withdrawal
    /// or a completion does not extend it). Null while the participant is on study, or before it.
    /// </summary>
    public DateOnly? LeftStudyOn => new[] { WithdrawnOn, CompletedOn, DiedOn }.Min();

    /// <summary>The fatal (grade 5) adverse event that recorded the death.</summary>
    public Guid? DeathAdverseEventId { get; private set; }

    /// <summary>The status before the death was recorded, restored if that event is corrected to a lower grade.</summary>
    public ParticipantStatus? StatusBeforeDeath { get; private set; }

    /// <summary>When a data manager locked the casebook: none of its forms may change until it is unlocked.</summary>
    public DateTimeOffset? LockedAt { get; private set; }

    /// <summary>PostgreSQL's row version (xmin): a stale write fails instead of overwriting.</summary>
    public uint Version { get; private set; }

    public static Participant Register(Trial trial, Site site, string screeningNumber, string? sex, int? birthYear, DateTimeOffset now)
    {
        RequireOpen(trial);
        if (site.TrialId != trial.Id)
        {
            throw new RuleViolationException(RuleCodes.SiteNotInTrial, "The site does not belong to this trial.");
        }

        return new Participant
        {
            Id = Guid.NewGuid(),
            TrialId = trial.Id,
            SiteId = site.Id,
            ScreeningNumber = screeningNumber,
            Sex = sex,
            BirthYear = birthYear,
            Status = ParticipantStatus.Screening,
            RegisteredAt = now,
        };
    }

    /// <summary>
    /// Records the eligibility answers, consent and strata. Any failed criterion (an inclusion not met, an exclusion
    /// that applies) makes the participant ScreenFailed; the failed criteria are returned.
    /// </summary>
    public IReadOnlyList<string> Enroll(
        Trial trial,
        DateOnly consentDate,
        IReadOnlyDictionary<string, bool> eligibility,
        IReadOnlyDictionary<string, string> strata,
        DateTimeOffset now)
    {
        RequireOpen(trial);
        RequireStatus("enrolled", ParticipantStatus.Screening);
        var missing = trial.EligibilityCriteria.Where(c => !eligibility.ContainsKey(c.Code)).Select(c => c.Code).ToList();
        if (missing.Count > 0)
        {
            throw new RuleViolationException(RuleCodes.EligibilityIncomplete, "Every eligibility criterion needs an answer: " + string.Join(", ", missing) + ".");
        }

        ConsentDate = consentDate;
        Eligibility = trial.EligibilityCriteria.ToDictionary(c => c.Code, c => eligibility[c.Code]);
        var failed = trial.EligibilityCriteria.OrderBy(c => c.Ordinal)
            .Where(c => eligibility[c.Code] != (c.Kind == CriterionKind.Inclusion))
            .Select(c => c.Code)
            .ToList();
        if (failed.Count > 0)
        {
            Status = ParticipantStatus.ScreenFailed;
            return failed;
        }

        StratumKey = Stratum.KeyFor(trial, strata);
        Strata = trial.StratificationFactors.ToDictionary(f => f.Code, f => strata[f.Code]);
        Status = ParticipantStatus.Enrolled;
        EnrolledAt = now;
        return [];
    }

    /// <summary>Open trial, enrolled, not yet randomized: checked before a slot is looked for.</summary>
    public void RequireRandomizable(Trial trial)
    {
        RequireOpen(trial);
        if (RandomizationNumber is not null)
        {
            throw new RuleViolationException(RuleCodes.AlreadyRandomized, "The participant is already randomized.");
        }

        RequireStatus("randomized", ParticipantStatus.Enrolled);
    }

    public void Randomize(Trial trial, string randomizationNumber, string kitNumber, DateTimeOffset now)
    {
        RequireRandomizable(trial);
        RandomizationNumber = randomizationNumber;
        KitNumber = kitNumber;
        RandomizedAt = now;
        Status = ParticipantStatus.Randomized;
    }

    public void Withdraw(Trial trial, DateOnly date, string reason, DateOnly today)
    {
        RequireOpen(trial);
        RequireStatus("withdrawn", ParticipantStatus.Screening, ParticipantStatus.Enrolled, ParticipantStatus.Randomized);
        if (date > today)
        {
            throw new RuleViolationException(RuleCodes.WithdrawalInFuture, "The withdrawal date cannot be in the future.");
        }

        if (ConsentDate is { } consent && date < consent)
        {
            throw new RuleViolationException(RuleCodes.WithdrawalBeforeConsent, "The withdrawal date cannot be before the consent date.");
        }

        WithdrawnOn = date;
        WithdrawalReason = reason;
        Status = ParticipantStatus.Withdrawn;
    }

    /// <summary>The last visit of the schedule is done, on <paramref name="on"/>: the participant has completed the trial.</summary>
    public void CompleteTrial(DateOnly on)
    {
        RequireStatus("completed", ParticipantStatus.Randomized);
        Status = ParticipantStatus.Completed;
        CompletedOn = on;
    }

    /// <summary>
    /// The last visit, which completed the participant, is being recorded again (re-dated or missed): the completion
    /// follows that record, so the participant is randomized again until the visit completes them anew.
    /// </summary>
    public void ReopenCompletion()
    {
        RequireStatus("reopened", ParticipantStatus.Completed);
        Status = ParticipantStatus.Randomized;
        CompletedOn = null;
    }

    /// <summary>
    /// A fatal adverse event records the participant's death: their schedule ends (no visit can be recorded any more)
    /// and they leave the worklists. One event records a death; another fatal one is refused.
    /// </summary>
    public void RecordDeath(Guid adverseEventId, DateOnly diedOn)
    {
        if (Status == ParticipantStatus.Deceased && DeathAdverseEventId != adverseEventId)
        {
            throw new RuleViolationException(RuleCodes.DeathAlreadyRecorded, "The participant's death is already recorded by another adverse event.");
        }

        if (Status != ParticipantStatus.Deceased)
        {
            StatusBeforeDeath = Status;
        }

        Status = ParticipantStatus.Deceased;
        DiedOn = diedOn;
        DeathAdverseEventId = adverseEventId;
    }

    /// <summary>The fatal event that recorded the death was corrected to a lower grade: the status before it returns.</summary>
    public void RevokeDeath(Guid adverseEventId)
    {
        if (DeathAdverseEventId != adverseEventId)
        {
            return;
        }

        Status = StatusBeforeDeath ?? ParticipantStatus.Randomized;
        StatusBeforeDeath = null;
        DiedOn = null;
        DeathAdverseEventId = null;
    }

    /// <summary>Records who broke the blind for this participant, when and why; the first unblinding is the one shown.</summary>
    public void RecordEmergencyUnblinding(Guid investigatorId, string reason, DateTimeOffset now)
    {
        if (RandomizationNumber is null)
        {
            throw new RuleViolationException(RuleCodes.NotRandomized, "The participant is not randomized; there is no arm to reveal.");
        }

        if (EmergencyUnblindedAt is null)
        {
            EmergencyUnblindedAt = now;
            EmergencyUnblindedBy = investigatorId;
            EmergencyUnblindingReason = reason;
        }
    }

    /// <summary>Locks the casebook: every form of the participant refuses changes until <see cref="Unlock"/>.</summary>
    public void Lock(DateTimeOffset now)
    {
        if (LockedAt is not null)
        {
            throw new RuleViolationException(RuleCodes.ParticipantLocked, "The participant's casebook is already locked.");
        }

        LockedAt = now;
    }

    public void Unlock()
    {
        if (LockedAt is null)
        {
            throw new RuleViolationException(RuleCodes.ParticipantNotLocked, "The participant's casebook is not locked.");
        }

        LockedAt = null;
    }

    /// <summary>Refuses a change to the casebook's data while it is locked.</summary>
    public void RequireUnlocked()
    {
        if (LockedAt is not null)
        {
            throw new RuleViolationException(RuleCodes.ParticipantLocked, "The participant's casebook is locked: a data manager unlocks it for changes.");
        }
    }

    private static void RequireOpen(Trial trial) => trial.RequireOpenForData();

    private void RequireStatus(string becoming, params ParticipantStatus[] allowed)
    {
        if (!allowed.Contains(Status))
        {
            throw new RuleViolationException(
                Status == ParticipantStatus.Screening ? "NotEnrolled" : "WrongParticipantStatus",
                $"A participant in status {Status} cannot be {becoming}.");
        }
    }
}

namespace Edc.Domain.Common;

/// <summary>
/// The rules a request can break, by the stable code a 409 problem names in <c>rule</c>: declared here once each, so a
/// client's list of codes and the code agree.
/// </summary>
public static class RuleCodes
{
    public const string AlreadyRandomized = nameof(AlreadyRandomized);

    public const string AlreadyUnblinded = nameof(AlreadyUnblinded);

    public const string ArmRatioNotPositive = nameof(ArmRatioNotPositive);

    public const string BlockSizeInvalid = nameof(BlockSizeInvalid);

    public const string BuiltInForm = nameof(BuiltInForm);

    public const string CannotDeactivateSelf = nameof(CannotDeactivateSelf);

    public const string CannotRemoveOwnAdmin = nameof(CannotRemoveOwnAdmin);

    public const string DeathAlreadyRecorded = nameof(DeathAlreadyRecorded);

    public const string DuplicateCode = nameof(DuplicateCode);

    public const string EligibilityIncomplete = nameof(EligibilityIncomplete);

    public const string EligibilityNotMet = nameof(EligibilityNotMet);

    public const string EmailTaken = nameof(EmailTaken);

    public const string FactorLevelsInvalid = nameof(FactorLevelsInvalid);

    public const string FormDefinitionInvalid = nameof(FormDefinitionInvalid);

    public const string FormEntryRemoved = nameof(FormEntryRemoved);

    public const string FormFrozen = nameof(FormFrozen);

    public const string FormNotFrozen = nameof(FormNotFrozen);

    public const string FormsIncomplete = nameof(FormsIncomplete);

    public const string FormNotAtVisit = nameof(FormNotAtVisit);

    public const string FormNotEntered = nameof(FormNotEntered);

    public const string ImportedListNotExtendable = nameof(ImportedListNotExtendable);

    public const string InfusionInFuture = nameof(InfusionInFuture);

    public const string InfusionNotAtThisVisit = nameof(InfusionNotAtThisVisit);

    public const string KitNotParticipants = nameof(KitNotParticipants);

    public const string ListTooLarge = nameof(ListTooLarge);

    public const string MrssIncomplete = nameof(MrssIncomplete);

    public const string MrssNotAtThisVisit = nameof(MrssNotAtThisVisit);

    public const string NoPrimaryEndpoint = nameof(NoPrimaryEndpoint);

    public const string NoRandomizationList = nameof(NoRandomizationList);

    public const string NoReportDue = nameof(NoReportDue);

    public const string NotEnrolled = nameof(NotEnrolled);

    public const string NotRandomized = nameof(NotRandomized);

    public const string ParticipantLocked = nameof(ParticipantLocked);

    public const string ParticipantNotLocked = nameof(ParticipantNotLocked);

    public const string ParticipantNotActive = nameof(ParticipantNotActive);

    public const string QueryClosed = nameof(QueryClosed);

    public const string QueryNotClosed = nameof(QueryNotClosed);

    public const string QueryNotYours = nameof(QueryNotYours);

    public const string RandomizationListExhausted = nameof(RandomizationListExhausted);

    public const string RandomizationListExists = nameof(RandomizationListExists);

    public const string ReportAlreadyRecorded = nameof(ReportAlreadyRecorded);

    public const string ReportSentBeforeAwareness = nameof(ReportSentBeforeAwareness);

    public const string ReportSentInFuture = nameof(ReportSentInFuture);

    public const string RequestAlreadyDecided = nameof(RequestAlreadyDecided);

    public const string SiteCodeTaken = nameof(SiteCodeTaken);

    public const string SiteNotInTrial = nameof(SiteNotInTrial);

    public const string SiteStratumMismatch = nameof(SiteStratumMismatch);

    public const string SlotTaken = nameof(SlotTaken);

    public const string StaleEdit = nameof(StaleEdit);

    public const string StratumInvalid = nameof(StratumInvalid);

    public const string TrialCodeTaken = nameof(TrialCodeTaken);

    public const string TrialLocked = nameof(TrialLocked);

    public const string TrialNeedsTwoArms = nameof(TrialNeedsTwoArms);

    public const string TrialNeedsVisits = nameof(TrialNeedsVisits);

    public const string TrialNotLocked = nameof(TrialNotLocked);

    public const string VisitBeforeRandomization = nameof(VisitBeforeRandomization);

    public const string VisitDateInFuture = nameof(VisitDateInFuture);

    public const string VisitMissed = nameof(VisitMissed);

    public const string VisitWindowNegative = nameof(VisitWindowNegative);

    public const string WithdrawalBeforeConsent = nameof(WithdrawalBeforeConsent);

    public const string WithdrawalInFuture = nameof(WithdrawalInFuture);
}

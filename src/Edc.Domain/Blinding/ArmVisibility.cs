using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Domain.Trials;

namespace Edc.Domain.Blinding;

/// <summary>
/// Who may learn a treatment arm, from the contract. The unblinded statistician sees every arm; a pharmacist the arms
/// of own-site participants (to prepare infusions); an investigator the arm of a participant whose emergency
/// unblinding they performed; after the final unblinding, every role of the trial. Nobody else learns anything about
/// arms. The masked group key (Group A, Group B to arm) is read by the statistician, by the data safety board once
/// one of its unblinding requests for the trial is approved, and by everyone after the final unblinding.
/// </summary>
public static class ArmVisibility
{
    public static bool MaySeeArm(Viewer viewer, Trial trial, Participant participant) =>
        viewer.Is(Roles.UnblindedStatistician)
        || trial.IsFinallyUnblinded
        || (viewer.Is(Roles.Pharmacist) && viewer.IsOfSite(participant.SiteId))
        || (viewer.Is(Roles.Investigator) && viewer.IsOfSite(participant.SiteId) && viewer.Id is { } id && participant.EmergencyUnblindedBy == id);

    /// <param name="boardRequestApproved">Whether an unblinding request of the board for this trial has been approved.</param>
    public static bool MayReadClosedReport(Viewer viewer, Trial trial, bool boardRequestApproved) =>
        viewer.Is(Roles.UnblindedStatistician)
        || trial.IsFinallyUnblinded
        || (viewer.Is(Roles.DsmbMember) && boardRequestApproved);

    /// <summary>
    /// A bulk export carries arms only after the final unblinding, whoever asks: before it even an unblinded role gets the
    /// blinded export (the statistician reads assignments from the randomization list, whose every read is audited).
    /// </summary>
    public static bool ExportCarriesArms(Trial trial) => trial.IsFinallyUnblinded;

    /// <summary>Only the unblinded statistician reads the randomization list and its group key.</summary>
    public static bool MayReadRandomizationList(Viewer viewer) => viewer.Is(Roles.UnblindedStatistician);
}

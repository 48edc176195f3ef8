using Edc.Api.Common.Signatures;
using Edc.Api.Features.Participants;

namespace Edc.Api.Features.Casebook;

/// <summary>
/// One participant's casebook: the participant (arm only through the gate, as everywhere), visits with their forms' statuses,
/// MRSS totals over time, infusions given and not given, adverse events (by onset), the trial's log forms, the signatures
/// of its visits and of the casebook (valid or invalidated, oldest first), and links to the rest.
/// </summary>
public sealed record CasebookView(
    ParticipantView Participant,
    IReadOnlyList<CasebookVisit> Visits,
    IReadOnlyList<MrssPoint> Mrss,
    IReadOnlyList<CasebookInfusion> Infusions,
    int InfusionsReceived,
    IReadOnlyList<CasebookAdverseEvent> AdverseEvents,
    IReadOnlyList<CasebookLogForm> LogForms,
    IReadOnlyList<SignatureView> Signatures,
    CasebookLinks Links);

using Edc.Api.Features.Participants;
using Edc.Api.Features.Visits;

namespace Edc.Api.Features.Casebook;

/// <summary>
/// One participant's casebook: the participant (arm only through the gate, as everywhere), visits, MRSS totals over time,
/// infusions given and not given, adverse events (by onset), and links to the rest.
/// </summary>
public sealed record CasebookView(
    ParticipantView Participant,
    IReadOnlyList<VisitView> Visits,
    IReadOnlyList<MrssPoint> Mrss,
    IReadOnlyList<CasebookInfusion> Infusions,
    int InfusionsReceived,
    IReadOnlyList<CasebookAdverseEvent> AdverseEvents,
    CasebookLinks Links);

using Edc.Domain.Forms;
using Edc.Domain.Safety;
using Edc.Domain.Visits;

namespace Edc.Api.Features.Signatures;

/// <summary>Every clinical record of one participant, read untracked by <see cref="SignedContent.ReadAsync"/>.</summary>
public sealed record ParticipantRecords(
    IReadOnlyList<ScheduledVisit> Visits,
    IReadOnlyList<FormRecord> Forms,
    IReadOnlyList<MrssAssessment> Mrss,
    IReadOnlyList<InfusionRecord> Infusions,
    IReadOnlyList<AdverseEvent> AdverseEvents);

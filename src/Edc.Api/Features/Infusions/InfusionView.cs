using Edc.Api.Common;
using Edc.Domain.Visits;

namespace Edc.Api.Features.Infusions;

/// <summary>
/// The infusion of one visit and how many infusions the participant has received so far. Nothing about the arm.
/// <see cref="Version"/> counts the record's versions: the ETag an edit sends back in <c>If-Match</c>.
/// </summary>
public sealed record InfusionView(
    string VisitCode,
    bool Administered,
    DateTimeOffset? AdministeredAt,
    string? KitNumber,
    string? NotAdministeredReason,
    int InfusionsReceived,
    int Version) : IVersionedView
{
    public static InfusionView From(ScheduledVisit visit, InfusionRecord infusion, int infusionsReceived) => new(
        visit.Code, infusion.Administered, infusion.AdministeredAt, infusion.KitNumber, infusion.NotAdministeredReason, infusionsReceived,
        infusion.Version);
}

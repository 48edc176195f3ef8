using Edc.Api.Common;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

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

internal static class InfusionCounts
{
    /// <summary>Infusions the participant actually received: those recorded as administered.</summary>
    public static Task<int> ReceivedAsync(EdcDbContext db, Guid participantId, CancellationToken cancellationToken) =>
        db.Infusions.CountAsync(i => i.ParticipantId == participantId && i.AdministeredAt != null, cancellationToken);

    /// <summary>The same, counting <paramref name="changing"/> as it is about to be saved.</summary>
    public static async Task<int> ReceivedAsync(EdcDbContext db, Guid participantId, InfusionRecord changing, CancellationToken cancellationToken) =>
        await db.Infusions.CountAsync(i => i.ParticipantId == participantId && i.AdministeredAt != null && i.Id != changing.Id, cancellationToken)
        + (changing.AdministeredAt is null ? 0 : 1);
}

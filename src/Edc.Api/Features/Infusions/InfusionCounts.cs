using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Infusions;

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

using Edc.Api.Common;
using Edc.Domain.Participants;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Participants;

internal static class ParticipantLock
{
    /// <summary>
    /// A participant of the trial the caller may see, locked for the rest of the transaction so that changes to
    /// one participant follow one another; 404 otherwise.
    /// </summary>
    public static async Task<Participant> ForChangeAsync(EdcDbContext db, CurrentUser user, Trial trial, Guid participantId, CancellationToken cancellationToken)
    {
        var participant = await db.Participants
            .FromSql($"SELECT *, xmin FROM participants WHERE id = {participantId} AND trial_id = {trial.Id} FOR UPDATE")
            .SingleOrDefaultAsync(cancellationToken);
        return participant is not null && user.CanSeeSite(participant.SiteId) ? participant : throw new NotFoundException("The participant");
    }
}

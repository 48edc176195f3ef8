using Edc.Api.Common;
using Edc.Domain.Safety;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>The adverse events the caller may see: every site's for roles not bound to sites, otherwise their sites' only.</summary>
internal sealed class AdverseEventReader(EdcDbContext db, VisibleData visible)
{
    public async Task<AdverseEvent> GetAsync(Guid trialId, Guid adverseEventId, CancellationToken cancellationToken) =>
        await visible.AdverseEvents(trialId).SingleOrDefaultAsync(a => a.Id == adverseEventId, cancellationToken)
        ?? throw new NotFoundException("The adverse event");

    public Task<string> ScreeningNumberAsync(AdverseEvent adverseEvent, CancellationToken cancellationToken) =>
        db.Participants.Where(p => p.Id == adverseEvent.ParticipantId).Select(p => p.ScreeningNumber).SingleAsync(cancellationToken);
}

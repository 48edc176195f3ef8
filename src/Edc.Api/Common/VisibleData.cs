using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common;

/// <summary>
/// The one read path: trials, sites, participants and adverse events as the caller may see them, through
/// <see cref="SiteVisibility"/>. A trial is visible through a site of the caller's (every trial for roles not bound to
/// sites). What the caller may not see answers 404, as if it did not exist.
/// </summary>
public sealed class VisibleData(EdcDbContext db, CurrentUser user)
{
    public IQueryable<Trial> Trials =>
        user.SeesAllSites ? db.Trials : db.Trials.Where(t => db.Sites.Any(s => s.TrialId == t.Id && user.SiteIds.Contains(s.Id)));

    public IQueryable<Site> Sites => user.SeesAllSites ? db.Sites : db.Sites.Where(s => user.SiteIds.Contains(s.Id));

    public IQueryable<Participant> Participants(Guid trialId) => db.Participants.Where(p => p.TrialId == trialId).VisibleTo(user);

    public IQueryable<AdverseEvent> AdverseEvents(Guid trialId) => db.AdverseEvents.Where(a => a.TrialId == trialId).VisibleTo(user);

    /// <summary>The caller's sites as parameters of a compiled query: <c>allSites || siteIds.Contains(item.SiteId)</c>.</summary>
    public (bool AllSites, Guid[] SiteIds) SiteFilter => user.SiteFilter();

    public async Task RequireTrialAsync(Guid trialId, CancellationToken cancellationToken)
    {
        if (!await Trials.AnyAsync(t => t.Id == trialId, cancellationToken))
        {
            throw new NotFoundException("The trial");
        }
    }

    /// <summary>The trial and one participant of it the caller may see, in one query, untracked; 404 otherwise.</summary>
    public async Task<(Trial Trial, Participant Participant)> TrialAndParticipantAsync(Guid trialId, Guid participantId, CancellationToken cancellationToken)
    {
        var found = await (
                from p in Participants(trialId).Where(p => p.Id == participantId)
                join t in db.Trials on p.TrialId equals t.Id
                select new { Trial = t, Participant = p })
            .AsNoTracking()
            .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
        return (found.Trial, found.Participant);
    }
}

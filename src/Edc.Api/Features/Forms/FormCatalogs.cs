using System.Collections.Concurrent;
using Edc.Api.Common;
using Edc.Domain.Forms;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

/// <summary>
/// Each trial's <see cref="FormCatalog"/>, read once per instance and kept while the trial's forms revision (read with
/// the trial's row by every request that uses it) stays the same: a version added on any instance moves the revision,
/// and the next request reads the catalog again. Stored versions never change, so nothing else can make it stale.
/// </summary>
public sealed class FormCatalogs
{
    private readonly ConcurrentDictionary<Guid, (int Revision, FormCatalog Catalog)> _byTrial = new();

    /// <summary>The catalog of a trial the caller may see (404 otherwise), its revision read in one statement.</summary>
    public async Task<FormCatalog> ForVisibleTrialAsync(EdcDbContext db, VisibleData visible, Guid trialId, CancellationToken cancellationToken)
    {
        var revision = await visible.Trials.Where(t => t.Id == trialId).Select(t => (int?)t.FormsRevision).SingleOrDefaultAsync(cancellationToken)
            ?? throw new NotFoundException("The trial");
        return await ForAsync(db, trialId, revision, cancellationToken);
    }

    public async Task<FormCatalog> ForAsync(EdcDbContext db, Guid trialId, int revision, CancellationToken cancellationToken)
    {
        if (_byTrial.TryGetValue(trialId, out var kept) && kept.Revision == revision)
        {
            return kept.Catalog;
        }

        var forms = await db.TrialForms.AsNoTracking().Where(f => f.TrialId == trialId).ToListAsync(cancellationToken);
        var visits = await db.Set<VisitDefinition>().AsNoTracking().Where(v => v.TrialId == trialId)
            .Select(v => new { v.Code, v.Forms }).ToListAsync(cancellationToken);
        var catalog = FormCatalog.Build(forms, visits.Select(v => (v.Code, (IReadOnlyList<string>)v.Forms)));

        // A request that read an older revision does not replace a newer catalog.
        _byTrial.AddOrUpdate(trialId, (revision, catalog), (_, current) => current.Revision > revision ? current : (revision, catalog));
        return catalog;
    }
}

using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class GetForm
{
    /// <param name="Version">The version data were entered under; the newest when null (what a first entry takes).</param>
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, string FormCode, int? Version) : IRequest<VersionedForm>;

    /// <summary>
    /// One version of one of the trial's forms, as the web pages draw it (no endpoint of its own: the API's clients list
    /// the forms). One statement, the trial's forms revision, while the instance's catalog is current.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, VersionedForm>
    {
        public async Task<VersionedForm> Handle(Query query, CancellationToken cancellationToken)
        {
            var catalog = await catalogs.ForVisibleTrialAsync(db, visible, query.TrialId, cancellationToken);
            return (query.Version is { } version ? catalog.Find(query.FormCode, version) : catalog.Latest(query.FormCode))
                ?? throw new NotFoundException($"The form {query.FormCode}");
        }
    }
}

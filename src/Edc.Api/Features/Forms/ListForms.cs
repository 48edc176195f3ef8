using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.Forms;

public static class ListForms
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId) : IRequest<IReadOnlyList<FormModel>>;

    /// <summary>The trial's forms at their newest versions, the built-in forms first: what a client draws an entry page from.</summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs) : IRequestHandler<Query, IReadOnlyList<FormModel>>
    {
        public async Task<IReadOnlyList<FormModel>> Handle(Query query, CancellationToken cancellationToken)
        {
            var catalog = await catalogs.ForVisibleTrialAsync(db, visible, query.TrialId, cancellationToken);
            return [.. catalog.LatestForms.Select(FormModel.From)];
        }
    }
}

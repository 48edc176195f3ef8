using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Signatures;

public static class ListSignatures
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<IReadOnlyList<SignatureView>>;

    /// <summary>
    /// A participant's signatures, oldest first, invalidated ones included (signatures are never deleted), each with
    /// <c>contentMatches</c>: the signed data hashed again now, as <see cref="SignedContent"/> hashed them when signing.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs, SignedContent content, SignatureViews views)
        : IRequestHandler<Query, IReadOnlyList<SignatureView>>
    {
        public async Task<IReadOnlyList<SignatureView>> Handle(Query query, CancellationToken cancellationToken)
        {
            var found = await (
                    from p in visible.Participants(query.TrialId)
                    where p.Id == query.ParticipantId
                    join t in db.Trials on p.TrialId equals t.Id
                    select new { t.FormsRevision })
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
            var signatures = await views.OfParticipantAsync(query.ParticipantId, cancellationToken);
            if (signatures.Count == 0)
            {
                return signatures;
            }

            var records = await content.ReadAsync(query.ParticipantId, cancellationToken);
            var catalog = await catalogs.ForAsync(db, query.TrialId, found.FormsRevision, cancellationToken);
            return [.. signatures.Select(s =>
            {
                var visit = s.Scope == SignatureScope.Visit ? records.Visits.SingleOrDefault(v => v.Code == s.VisitCode) : null;
                var matches = (s.Scope == SignatureScope.Casebook || visit is not null)
                    && SignedContent.Hash(SignedContent.Select(records, catalog, s.Scope, visit), s.Scope) == s.ContentHash;
                return s with { ContentMatches = matches };
            })];
        }
    }
}

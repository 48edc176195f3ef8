using Edc.Api.Common;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Signatures;

/// <summary>
/// The signing page's read: the data a signature of this scope would cover, read as <see cref="SignedContent"/> reads them
/// when signing, and the investigator's printed name for the attestation. Investigators of the participant's site only.
/// </summary>
public static class PreviewSignature
{
    [AllowedRoles(Roles.Investigator)]
    public sealed record Query(Guid TrialId, Guid ParticipantId, SignatureScope Scope, string? VisitCode) : IRequest<SignaturePreview>;

    public sealed class Validator : AbstractValidator<Query>
    {
        public Validator()
        {
            RuleFor(q => q.Scope).IsInEnum();
            RuleFor(q => q.VisitCode).NotEmpty().MaximumLength(20).When(q => q.Scope == SignatureScope.Visit);
        }
    }

    internal sealed class Handler(EdcDbContext db, CurrentUser user, FormCatalogs catalogs, SignedContent content) : IRequestHandler<Query, SignaturePreview>
    {
        public async Task<SignaturePreview> Handle(Query query, CancellationToken cancellationToken)
        {
            var siteIds = user.SiteIds.ToList();
            var found = await (
                    from p in db.Participants
                    where p.Id == query.ParticipantId && p.TrialId == query.TrialId && siteIds.Contains(p.SiteId)
                    join t in db.Trials on p.TrialId equals t.Id
                    select new { p.ScreeningNumber, t.FormsRevision })
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The participant");
            var signer = await db.Users.Where(u => u.Id == user.Id).Select(u => new { u.DisplayName, u.Email }).SingleAsync(cancellationToken);
            var records = await content.ReadAsync(query.ParticipantId, cancellationToken);
            var visit = query.Scope == SignatureScope.Visit
                ? records.Visits.SingleOrDefault(v => v.Code == query.VisitCode) ?? throw new NotFoundException("The visit")
                : null;
            var catalog = await catalogs.ForAsync(db, query.TrialId, found.FormsRevision, cancellationToken);
            return new SignaturePreview(
                string.IsNullOrWhiteSpace(signer.DisplayName) ? signer.Email ?? string.Empty : signer.DisplayName,
                found.ScreeningNumber,
                SignedContent.Select(records, catalog, query.Scope, visit));
        }
    }
}

using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Common.Signatures;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Features.Signatures;

/// <summary>
/// An investigator of the participant's site signs a visit or the casebook (21 CFR Part 11). The signature has two
/// components (11.200): the session's user and the password entered again; a wrong one is refused (403), recorded in
/// the audit trail and counted toward the account's lockout, and a locked-out account cannot sign. Every form in scope
/// must be Complete (409 FormsIncomplete naming the others). The signature keeps the signer's printed name, the time
/// and the meaning (11.50) and the hash of the data signed (11.70), read by <see cref="SignedContent"/>.
/// </summary>
public static class AddSignature
{
    public sealed record Body(SignatureScope? Scope, string? VisitCode, SignatureMeaning? Meaning, string? Password);

    [AllowedRoles(Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, SignatureScope? Scope, string? VisitCode, SignatureMeaning? Meaning, string? Password)
        : IRequest<SignatureView>, ITrialChange
    {
        /// <summary>A signature is a first entry: it needs no reason.</summary>
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Scope).NotNull().IsInEnum();
            RuleFor(c => c.Meaning).NotNull().IsInEnum();
            RuleFor(c => c.Password).NotEmpty().MaximumLength(256);
            RuleFor(c => c.VisitCode).NotEmpty().MaximumLength(20).When(c => c.Scope == SignatureScope.Visit)
                .WithMessage("A visit's signature names its visit.");
            RuleFor(c => c.VisitCode).Empty().When(c => c.Scope == SignatureScope.Casebook)
                .WithMessage("A casebook's signature names no visit.");
        }
    }

    internal sealed class Handler(
        EdcDbContext db, ForChange load, CurrentUser user, UserManager<EdcUser> users, FormCatalogs catalogs, SignedContent content, TimeProvider clock)
        : IRequestHandler<Command, SignatureView>
    {
        public async Task<SignatureView> Handle(Command command, CancellationToken cancellationToken)
        {
            // The participant's row is held until COMMIT: a change to its data comes wholly before the signing or after it.
            var (trial, participant) = await load.TrialAndParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            if (!user.SiteIds.Contains(participant.SiteId))
            {
                // Only an investigator of the participant's own site, whatever other roles the caller has.
                throw new NotFoundException("The participant");
            }

            var signer = await users.FindByIdAsync(user.Id!.Value.ToString()) ?? throw new ForbiddenException("The account cannot sign.");
            await ReauthenticateAsync(signer, command, participant.SiteId);

            var records = await content.ReadAsync(participant.Id, cancellationToken);
            var scope = command.Scope!.Value;
            var visit = scope == SignatureScope.Visit
                ? records.Visits.SingleOrDefault(v => v.Code == command.VisitCode) ?? throw new NotFoundException("The visit")
                : null;
            var catalog = await catalogs.ForAsync(db, trial.Id, trial.FormsRevision, cancellationToken);
            var data = SignedContent.Select(records, catalog, scope, visit);
            if (data.Missing.Count > 0)
            {
                throw new RuleViolationException(
                    RuleCodes.FormsIncomplete,
                    "Every form signed must be complete first. Not complete: "
                    + string.Join(", ", data.Missing.Select(m => $"{(m.VisitCode is null ? "log" : m.VisitCode)} {m.Name} ({m.FormCode}, {m.Status})")) + ".",
                    new Dictionary<string, object> { ["missing"] = data.Missing });
            }

            var signature = Signature.Sign(
                trial.Id, participant.SiteId, participant.Id, scope, visit?.Id, visit?.Code, command.Meaning!.Value,
                signer.Id, string.IsNullOrWhiteSpace(signer.DisplayName) ? signer.Email ?? signer.Id.ToString() : signer.DisplayName,
                SignedContent.Hash(data, scope), clock.GetUtcNow());
            db.Signatures.Add(signature);
            return new SignatureView(
                signature.Id, signature.Scope, signature.VisitCode, signature.Meaning, signature.SignerName, signature.SignedAt, signature.ContentHash,
                true, null, null, null);
        }

        /// <summary>
        /// The second component of the signature. A refusal is recorded (its audit event and the account's failed attempt
        /// are committed although the signing is not), then answered 403.
        /// </summary>
        private async Task ReauthenticateAsync(EdcUser signer, Command command, Guid siteId)
        {
            string failure;
            Exception refusal;
            if (await users.IsLockedOutAsync(signer))
            {
                failure = "The account is locked out.";
                refusal = new ForbiddenException("The account is locked out after repeated wrong passwords: it cannot sign until the lockout ends.");
            }
            else if (await users.CheckPasswordAsync(signer, command.Password!))
            {
                await users.ResetAccessFailedCountAsync(signer);
                return;
            }
            else
            {
                await users.AccessFailedAsync(signer);
                failure = await users.IsLockedOutAsync(signer) ? "Wrong password; the account is now locked out." : "Wrong password.";
                refusal = new ReauthenticationFailedException();
            }

            db.AuditEntries.Add(AuditEntry.Create(
                new AuditActor(user.Id, user.Email, string.Join(',', user.Roles)), "SignatureRefused", "Participant", command.ParticipantId.ToString(),
                command.TrialId, siteId, field: "scope", newValue: command.Scope == SignatureScope.Visit ? $"Visit {command.VisitCode}" : "Casebook",
                reason: failure));
            throw new RecordedRuleViolationException(refusal);
        }
    }
}

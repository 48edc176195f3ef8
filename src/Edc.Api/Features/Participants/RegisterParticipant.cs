using System.Globalization;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Participants;

public static class RegisterParticipant
{
    public sealed record Body(Guid? SiteId, string? ScreeningNumber, string? Sex, int? BirthYear);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid? SiteId, string? ScreeningNumber, string? Sex, int? BirthYear) : IRequest<Registered>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed record Registered(Guid Id, string ScreeningNumber, ParticipantStatus Status);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.SiteId).NotEmpty();
            RuleFor(c => c.ScreeningNumber).MaximumLength(40).Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
                .WithMessage("Use letters, digits, '-' and '_' only.");
            RuleFor(c => c.Sex).Must(s => s is null or "F" or "M" or "U").WithMessage("Sex is F, M or U (unknown).");
            RuleFor(c => c.BirthYear).InclusiveBetween(1900, clock.GetUtcNow().Year);
        }
    }

    internal sealed class Handler(EdcDbContext db, ForChange load, CurrentUser user, TimeProvider clock) : IRequestHandler<Command, Registered>
    {
        public async Task<Registered> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await load.TrialAsync(command.TrialId, cancellationToken);

            // Locks the site row, so concurrent registrations at a site number their participants one after the other.
            // A site of this trial the caller may see is also what makes the trial visible to them.
            var site = await db.Sites
                .FromSql($"SELECT * FROM sites WHERE id = {command.SiteId!.Value} FOR UPDATE")
                .SingleOrDefaultAsync(s => s.TrialId == trial.Id, cancellationToken);
            if (site is null || !user.CanSeeSite(site.Id))
            {
                throw new NotFoundException("The trial or site");
            }

            var number = command.ScreeningNumber ?? await NextScreeningNumberAsync(trial.Id, site, cancellationToken);
            var participant = Participant.Register(trial, site, number, command.Sex, command.BirthYear, clock.GetUtcNow());
            db.Participants.Add(participant);
            return new Registered(participant.Id, participant.ScreeningNumber, participant.Status);
        }

        /// <summary>"SITE-nnn" after the site's count of participants, skipping numbers already given by hand.</summary>
        private async Task<string> NextScreeningNumberAsync(Guid trialId, Domain.Trials.Site site, CancellationToken cancellationToken)
        {
            for (var next = await db.Participants.CountAsync(p => p.SiteId == site.Id, cancellationToken) + 1; ; next++)
            {
                var candidate = $"{site.Code}-{next.ToString("D3", CultureInfo.InvariantCulture)}";
                if (!await db.Participants.AnyAsync(p => p.TrialId == trialId && p.ScreeningNumber == candidate, cancellationToken))
                {
                    return candidate;
                }
            }
        }
    }
}

using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

/// <summary>The database lock (Admin): from now on no clinical data of the trial may change.</summary>
public static class LockTrial
{
    /// <param name="TrialId">The trial.</param>
    /// <param name="Reason">Why the trial is locked, kept in the audit row; the web page asks for it.</param>
    /// <param name="Password">The admin's own password, checked when given: the web page confirms the lock with it.</param>
    [AllowedRoles(Roles.Admin)]
    public sealed record Command(Guid TrialId, string? Reason = null, string? Password = null) : IRequest<TrialSummary>, IAuditedChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Reason).MaximumLength(2000);
            RuleFor(c => c.Password).MaximumLength(256);
        }
    }

    internal sealed class Handler(EdcDbContext db, TimeProvider clock, CurrentUser user, UserManager<EdcUser> users) : IRequestHandler<Command, TrialSummary>
    {
        public async Task<TrialSummary> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            if (command.Password is not null)
            {
                var admin = user.Id is { } id ? await users.FindByIdAsync(id.ToString()) : null;
                if (admin is null || !await users.CheckPasswordAsync(admin, command.Password))
                {
                    throw new ReauthenticationFailedException();
                }
            }

            trial.Lock(clock.GetUtcNow());
            return new TrialSummary(trial.Id, trial.Code, trial.Title, trial.Status);
        }
    }
}

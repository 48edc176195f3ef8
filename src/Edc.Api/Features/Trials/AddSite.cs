using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

public static class AddSite
{
    public sealed record Body(string? Code, string? Name);

    [AllowedRoles(Roles.Admin)]
    public sealed record Command(Guid TrialId, string? Code, string? Name) : IRequest<SiteView>, IAuditedChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Code).NotEmpty().MaximumLength(40).Matches("^[A-Za-z0-9][A-Za-z0-9_-]*$")
                .WithMessage("Use letters, digits, '-' and '_' only, starting with a letter or digit.");
            RuleFor(c => c.Name).NotEmpty().MaximumLength(200);
        }
    }

    internal sealed class Handler(EdcDbContext db) : IRequestHandler<Command, SiteView>
    {
        public async Task<SiteView> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await db.Trials.SingleOrDefaultAsync(t => t.Id == command.TrialId, cancellationToken) ?? throw new NotFoundException("The trial");
            var existing = await db.Sites.Where(s => s.TrialId == trial.Id).ToListAsync(cancellationToken);
            var site = trial.AddSite(command.Code!, command.Name!, existing);
            db.Sites.Add(site);
            return new SiteView(site.Id, site.TrialId, site.Code, site.Name);
        }
    }
}

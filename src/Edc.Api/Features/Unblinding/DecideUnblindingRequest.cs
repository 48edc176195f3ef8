using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Unblinding;

/// <summary>The unblinded statistician approves or rejects a request, with a comment.</summary>
public static class DecideUnblindingRequest
{
    public sealed record Body(bool? Approve, string? Comment);

    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Command(Guid TrialId, Guid RequestId, bool? Approve, string? Comment) : IRequest<UnblindingRequestView>, ITrialChange
    {
        public string? Reason => Comment;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Approve).NotNull();
            RuleFor(c => c.Comment).NotEmpty().MaximumLength(4000);
        }
    }

    internal sealed class Handler(EdcDbContext db, CurrentUser user, TimeProvider clock) : IRequestHandler<Command, UnblindingRequestView>
    {
        public async Task<UnblindingRequestView> Handle(Command command, CancellationToken cancellationToken)
        {
            var request = await db.UnblindingRequests.SingleOrDefaultAsync(r => r.Id == command.RequestId && r.TrialId == command.TrialId, cancellationToken)
                ?? throw new NotFoundException("The unblinding request");
            request.Decide(command.Approve!.Value, command.Comment!, user.Id!.Value, clock.GetUtcNow());
            return UnblindingRequestView.From(request);
        }
    }
}

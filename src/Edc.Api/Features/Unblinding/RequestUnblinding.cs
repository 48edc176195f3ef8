using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Unblinding;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Unblinding;

/// <summary>A data safety board member asks to see the data by real arm.</summary>
public static class RequestUnblinding
{
    public sealed record Body(string? Justification);

    [AllowedRoles(Roles.DsmbMember)]
    public sealed record Command(Guid TrialId, string? Justification) : IRequest<UnblindingRequestView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Justification).NotEmpty().MaximumLength(4000);
    }

    internal sealed class Handler(EdcDbContext db, CurrentUser user, TimeProvider clock, VisibleData visible) : IRequestHandler<Command, UnblindingRequestView>
    {
        public async Task<UnblindingRequestView> Handle(Command command, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(command.TrialId, cancellationToken);
            var request = UnblindingRequest.Submit(command.TrialId, user.Id!.Value, command.Justification!, clock.GetUtcNow());
            db.UnblindingRequests.Add(request);
            return UnblindingRequestView.From(request);
        }
    }
}

using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Domain.Unblinding;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Unblinding;

public sealed record UnblindingRequestView(
    Guid Id, Guid TrialId, Guid RequestedBy, DateTimeOffset RequestedAt, string Justification, string Status,
    Guid? DecidedBy, DateTimeOffset? DecidedAt, string? DecisionComment)
{
    public static UnblindingRequestView From(UnblindingRequest r) =>
        new(r.Id, r.TrialId, r.RequestedBy, r.RequestedAt, r.Justification, r.Status.ToString(), r.DecidedBy, r.DecidedAt, r.DecisionComment);
}

/// <summary>A data safety board member asks to see the data by real arm.</summary>
public static class RequestUnblinding
{
    public sealed record Body(string? Justification);

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

/// <summary>The unblinded statistician approves or rejects a request, with a comment.</summary>
public static class DecideUnblindingRequest
{
    public sealed record Body(bool? Approve, string? Comment);

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

public static class ListUnblindingRequests
{
    public sealed record Query(Guid TrialId, PageRequest Page) : IRequest<PagedList<UnblindingRequestView>>;

    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Query, PagedList<UnblindingRequestView>>
    {
        public async Task<PagedList<UnblindingRequestView>> Handle(Query query, CancellationToken cancellationToken)
        {
            await visible.RequireTrialAsync(query.TrialId, cancellationToken);
            var page = await db.UnblindingRequests.AsNoTracking().Where(r => r.TrialId == query.TrialId)
                .OrderByDescending(r => r.RequestedAt).ToPageAsync(query.Page, cancellationToken);
            return new PagedList<UnblindingRequestView>([.. page.Items.Select(UnblindingRequestView.From)], page.Page, page.PageSize, page.Total);
        }
    }
}

using Edc.Api.Common;
using Edc.Api.Features.Trials;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Unblinding;

public static class UnblindingEndpoints
{
    public static void MapUnblindingEndpoints(this IEndpointRouteBuilder app)
    {
        var trial = app.MapGroup("/api/trials/{trialId:guid}").WithTags("Unblinding");
        trial.MapPost("/unblinding-requests", async (Guid trialId, RequestUnblinding.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var request = await mediator.Send(new RequestUnblinding.Command(trialId, body.Justification), ct);
                return Results.Created($"/api/trials/{trialId}/unblinding-requests/{request.Id}", request);
            })
            .RequireRoles(Roles.DsmbMember)
            .Idempotent();
        trial.MapPost("/unblinding-requests/{requestId:guid}/decision", (Guid trialId, Guid requestId, DecideUnblindingRequest.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new DecideUnblindingRequest.Command(trialId, requestId, body.Approve, body.Comment), ct))
            .RequireRoles(Roles.UnblindedStatistician);
        trial.MapGet("/unblinding-requests", (Guid trialId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListUnblindingRequests.Query(trialId, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Admin);
        trial.MapPost("/lock", (Guid trialId, IMediator mediator, CancellationToken ct) => mediator.Send(new LockTrial.Command(trialId), ct))
            .RequireRoles(Roles.Admin);
        trial.MapPost("/final-unblinding", (Guid trialId, IMediator mediator, CancellationToken ct) => mediator.Send(new FinalUnblinding.Command(trialId), ct))
            .RequireRoles(Roles.UnblindedStatistician);
    }
}

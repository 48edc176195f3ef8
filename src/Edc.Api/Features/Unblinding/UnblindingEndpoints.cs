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
                return TypedResults.Created($"/api/trials/{trialId}/unblinding-requests/{request.Id}", request);
            })
            .Describe("RequestUnblinding", "Request unblinded data", "A data safety board member asks to see the data by real arm, with a justification.")
            .RequireRoles(Roles.DsmbMember)
            .Idempotent();
        trial.MapPost("/unblinding-requests/{requestId:guid}/decision", async (Guid trialId, Guid requestId, DecideUnblindingRequest.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new DecideUnblindingRequest.Command(trialId, requestId, body.Approve, body.Comment), ct)))
            .Describe("DecideUnblindingRequest", "Decide an unblinding request", "The unblinded statistician approves or rejects a pending request, with a comment.")
            .RequireRoles(Roles.UnblindedStatistician);
        trial.MapGet("/unblinding-requests", async (Guid trialId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListUnblindingRequests.Query(trialId, PageRequest.From(page, pageSize)), ct)))
            .Describe("ListUnblindingRequests", "List unblinding requests", "The trial's unblinding requests and their decisions, paged.")
            .RequireRoles(Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Admin);
        trial.MapPost("/lock", async (Guid trialId, IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new LockTrial.Command(trialId), ct)))
            .Describe("LockTrial", "Lock the database", "The database lock: from now on no clinical data of the trial may change (409).")
            .RequireRoles(Roles.Admin);
        trial.MapPost("/final-unblinding", async (Guid trialId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new FinalUnblinding.Command(trialId), ct)))
            .Describe(
                "FinalUnblinding", "Final unblinding",
                "The statistician's final unblinding, allowed only once the trial is locked (409 before): from then on every role of "
                + "the trial sees arms.")
            .RequireRoles(Roles.UnblindedStatistician);
    }
}

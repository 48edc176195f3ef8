using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Trials;

public static class TrialEndpoints
{
    public static void MapTrialEndpoints(this IEndpointRouteBuilder app)
    {
        var trials = app.MapGroup("/api/trials").WithTags("Trials");
        trials.MapGet("/", (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListTrials.Query(PageRequest.From(page, pageSize)), ct))
            .RequireRoles(Authorization.EveryRole);
        trials.MapGet("/{trialId:guid}", (Guid trialId, IMediator mediator, CancellationToken ct) => mediator.Send(new GetTrial.Query(trialId), ct))
            .RequireRoles(Authorization.EveryRole);
        trials.MapPost("/", async (CreateTrial.Command command, IMediator mediator, CancellationToken ct) =>
            {
                var trial = await mediator.Send(command, ct);
                return Results.Created($"/api/trials/{trial.Id}", trial);
            })
            .RequireRoles(Roles.Admin)
            .Idempotent();
        trials.MapGet("/{trialId:guid}/sites", (Guid trialId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListSites.Query(trialId, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(Authorization.EveryRole);
        trials.MapPost("/{trialId:guid}/sites", async (Guid trialId, AddSite.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var site = await mediator.Send(new AddSite.Command(trialId, body.Code, body.Name), ct);
                return Results.Created($"/api/trials/{trialId}/sites/{site.Id}", site);
            })
            .RequireRoles(Roles.Admin)
            .Idempotent();
    }
}

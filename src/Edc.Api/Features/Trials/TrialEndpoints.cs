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
        trials.MapGet("/", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListTrials.Query(PageRequest.From(page, pageSize)), ct)))
            .Describe("ListTrials", "List trials", "The trials the caller may see (site-scoped roles: those of their sites), paged.")
            .RequireRoles(Authorization.EveryRole);
        trials.MapGet("/{trialId:guid}", async (Guid trialId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetTrial.Query(trialId), ct)))
            .Describe(
                "GetTrial", "Get a trial definition",
                "The trial's definition: arms (public protocol, never assignments), visit schedule with windows, eligibility criteria, "
                + "stratification factors.")
            .RequireRoles(Authorization.EveryRole);
        trials.MapPost("/", async (CreateTrial.Command command, IMediator mediator, CancellationToken ct) =>
            {
                var trial = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/trials/{trial.Id}", trial);
            })
            .Describe("CreateTrial", "Create a trial", "Creates a trial from its definition, with the sites it names; 409 when the code is taken.")
            .RequireRoles(Roles.Admin)
            .Idempotent();
        trials.MapGet("/{trialId:guid}/sites", async (Guid trialId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListSites.Query(trialId, PageRequest.From(page, pageSize)), ct)))
            .Describe("ListSites", "List a trial's sites", "The trial's sites the caller may see, paged.")
            .RequireRoles(Authorization.EveryRole);
        trials.MapPost("/{trialId:guid}/sites", async (Guid trialId, AddSite.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var site = await mediator.Send(new AddSite.Command(trialId, body.Code, body.Name), ct);
                return TypedResults.Created($"/api/trials/{trialId}/sites/{site.Id}", site);
            })
            .Describe("AddSite", "Add a site", "Adds a site to the trial; its code is unique within the trial.")
            .RequireRoles(Roles.Admin)
            .Idempotent();
    }
}

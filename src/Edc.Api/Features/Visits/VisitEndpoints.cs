using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.Visits;

public static class VisitEndpoints
{
    public static void MapVisitEndpoints(this IEndpointRouteBuilder app)
    {
        var visits = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits").WithTags("Visits");
        visits.MapGet("/", (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListVisits.Query(trialId, participantId), ct))
            .RequireRoles(Authorization.EveryRole);
        visits.MapGet("/{visitCode}", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                response.WithETag(await mediator.Send(new GetVisit.Query(trialId, participantId, visitCode), ct)))
            .RequireRoles(Authorization.EveryRole);
        visits.MapPut("/{visitCode}", async (
                Guid trialId, Guid participantId, string visitCode, RecordVisit.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                response.WithETag(await mediator.Send(
                    new RecordVisit.Command(trialId, participantId, visitCode, body.Status, body.ActualDate, body.MissedReason, body.Reason, ifMatch), ct)))
            .RequireRoles(Authorization.DataEntry);
        visits.MapPost("/", async (Guid trialId, Guid participantId, AddUnscheduledVisit.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var visit = await mediator.Send(new AddUnscheduledVisit.Command(trialId, participantId, body.Name, body.ActualDate, body.Procedures), ct);
                return Results.Created($"/api/trials/{trialId}/participants/{participantId}/visits/{visit.Code}", visit);
            })
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();

        // The site's to-do list: site roles see their own sites, Admin every site.
        app.MapGet("/api/trials/{trialId:guid}/visit-worklist", (Guid trialId, DateOnly? from, DateOnly? to, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new VisitWorklist.Query(trialId, from, to, PageRequest.From(page, pageSize)), ct))
            .WithTags("Visits")
            .RequireRoles(Roles.Coordinator, Roles.Investigator, Roles.Admin);
    }
}

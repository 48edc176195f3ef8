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
        visits.MapGet("/", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListVisits.Query(trialId, participantId), ct)))
            .Describe(
                "ListVisits", "List a participant's visits",
                "The participant's visit schedule, created at randomization from the trial's visit definitions (Day 0 = randomization), "
                + "with windows, status and actual dates, and any unscheduled visits.")
            .RequireRoles(Authorization.EveryRole);
        visits.MapGet("/{visitCode}", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new GetVisit.Query(trialId, participantId, visitCode), ct))))
            .Describe(
                "GetVisit", "Get a visit",
                "One visit of the participant's schedule. The ETag is its version, which an edit of a recorded visit must name in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        visits.MapPut("/{visitCode}", async (
                Guid trialId, Guid participantId, string visitCode, RecordVisit.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(
                    new RecordVisit.Command(trialId, participantId, visitCode, body.Status, body.ActualDate, body.MissedReason, body.Reason, ifMatch), ct))))
            .Describe(
                "RecordVisit", "Record a visit",
                "Completes a visit (flagged out of window when its date falls outside the window) or records it as missed. A visit "
                + "already recorded changes only with a reason and the version it was made from in If-Match.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
        visits.MapPost("/", async (Guid trialId, Guid participantId, AddUnscheduledVisit.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var visit = await mediator.Send(new AddUnscheduledVisit.Command(trialId, participantId, body.Name, body.ActualDate, body.Procedures), ct);
                return TypedResults.Created($"/api/trials/{trialId}/participants/{participantId}/visits/{visit.Code}", visit);
            })
            .Describe(
                "AddUnscheduledVisit", "Add an unscheduled visit",
                "Records a visit outside the protocol's schedule (UNS1, UNS2, ...) as done on its date.")
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();

        // The site's to-do list: site roles see their own sites, Admin every site.
        app.MapGet("/api/trials/{trialId:guid}/visit-worklist", async (Guid trialId, DateOnly? from, DateOnly? to, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new VisitWorklist.Query(trialId, from, to, PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "GetVisitWorklist", "Visit worklist",
                "The visits the caller's sites (every site for Admin) have to act on: overdue, due today and upcoming, most urgent "
                + "first, optionally limited to target dates from and to.")
            .WithTags("Visits")
            .RequireRoles(Roles.Coordinator, Roles.Investigator, Roles.Admin, Roles.Monitor, Roles.DataManager);
    }
}

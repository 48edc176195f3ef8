using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.Mrss;

public static class MrssEndpoints
{

    public static void MapMrssEndpoints(this IEndpointRouteBuilder app)
    {
        var mrss = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/mrss").WithTags("MRSS");
        mrss.MapGet("/", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new GetMrss.Query(trialId, participantId, visitCode), ct))))
            .Describe(
                "GetMrss", "Get a visit's MRSS",
                "The modified Rodnan skin score recorded at the visit: the 17 area scores, total, baseline total and change from "
                + "baseline; 404 when none is recorded yet. The ETag is the version an edit must name in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        mrss.MapPut("/", async (
                Guid trialId, Guid participantId, string visitCode, RecordMrss.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
            {
                var command = new RecordMrss.Command(
                    trialId, participantId, visitCode, body.AssessedOn, body.AssessorName, body.Scores, body.Reason, body.Total is not null, ifMatch);
                return TypedResults.Ok(response.WithETag(await mediator.Send(command, ct)));
            })
            .Describe(
                "RecordMrss", "Record a visit's MRSS",
                "Records the 17 area scores (0 to 3; the total is computed). The first save needs no reason; an edit needs a reason "
                + "and the version it was made from in If-Match: without it 428, from an older version 409 StaleEdit, and nothing changes.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
    }
}

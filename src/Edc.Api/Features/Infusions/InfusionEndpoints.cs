using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.Infusions;

public static class InfusionEndpoints
{
    // The pharmacist prepares infusions but records no clinical data: recording is data entry.
    public static void MapInfusionEndpoints(this IEndpointRouteBuilder app)
    {
        var infusion = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/infusion").WithTags("Infusions");
        infusion.MapGet("/", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new GetInfusion.Query(trialId, participantId, visitCode), ct))))
            .Describe(
                "GetInfusion", "Get a visit's infusion",
                "The infusion recorded at the visit and how many infusions the participant has received so far; nothing about the arm. "
                + "The ETag is the version an edit must name in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        infusion.MapPut("/", async (
                Guid trialId, Guid participantId, string visitCode, RecordInfusion.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(
                    new RecordInfusion.Command(
                        trialId, participantId, visitCode, body.AdministeredAt, body.KitNumber, body.NotAdministeredReason, body.Reason, ifMatch), ct))))
            .Describe(
                "RecordInfusion", "Record a visit's infusion",
                "Records the infusion as given (administeredAt and the participant's own kitNumber; another kit is 409) or not given "
                + "(notAdministeredReason). A recorded infusion changes only with a reason and the version it was made from in If-Match.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
    }
}

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
                response.WithETag(await mediator.Send(new GetInfusion.Query(trialId, participantId, visitCode), ct)))
            .RequireRoles(Authorization.EveryRole);
        infusion.MapPut("/", async (
                Guid trialId, Guid participantId, string visitCode, RecordInfusion.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                response.WithETag(await mediator.Send(
                    new RecordInfusion.Command(
                        trialId, participantId, visitCode, body.AdministeredAt, body.KitNumber, body.NotAdministeredReason, body.Reason, ifMatch), ct)))
            .RequireRoles(Authorization.DataEntry);
    }
}

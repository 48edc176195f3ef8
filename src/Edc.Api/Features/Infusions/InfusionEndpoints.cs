using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Infusions;

public static class InfusionEndpoints
{
    // The pharmacist prepares infusions but records no clinical data: recording is data entry.
    public static void MapInfusionEndpoints(this IEndpointRouteBuilder app)
    {
        var infusion = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/infusion").WithTags("Infusions");
        infusion.MapGet("/", (Guid trialId, Guid participantId, string visitCode, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetInfusion.Query(trialId, participantId, visitCode), ct))
            .RequireRoles(Authorization.EveryRole);
        infusion.MapPut("/", (Guid trialId, Guid participantId, string visitCode, RecordInfusion.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(
                    new RecordInfusion.Command(trialId, participantId, visitCode, body.AdministeredAt, body.KitNumber, body.NotAdministeredReason, body.Reason), ct))
            .RequireRoles(Authorization.DataEntry);
    }
}

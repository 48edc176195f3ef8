using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Casebook;

public static class CasebookEndpoints
{
    public static void MapCasebookEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trials/{trialId:guid}/participants/{participantId:guid}/casebook", (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetCasebook.Query(trialId, participantId), ct))
            .WithTags("Participants")
            .RequireRoles(Authorization.EveryRole);
}

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
                response.WithETag(await mediator.Send(new GetMrss.Query(trialId, participantId, visitCode), ct)))
            .RequireRoles(Authorization.EveryRole);
        mrss.MapPut("/", async (
                Guid trialId, Guid participantId, string visitCode, RecordMrss.Body body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
            {
                var command = new RecordMrss.Command(
                    trialId, participantId, visitCode, body.AssessedOn, body.AssessorName, body.Scores, body.Reason, body.Total is not null, ifMatch);
                return response.WithETag(await mediator.Send(command, ct));
            })
            .RequireRoles(Authorization.DataEntry);
    }
}

using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Casebook;

public static class CasebookEndpoints
{
    public static void MapCasebookEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trials/{trialId:guid}/participants/{participantId:guid}/casebook", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetCasebook.Query(trialId, participantId), ct)))
            .Describe(
                "GetCasebook", "Get a participant's casebook",
                "The participant (the arm only for those allowed to see it), visits, MRSS totals over time, infusions given and not "
                + "given, and links to the rest.")
            .WithTags("Participants")
            .RequireRoles(Authorization.EveryRole);
}

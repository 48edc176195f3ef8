using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Mrss;

public static class MrssEndpoints
{
    private const string ETagDescription = "The MRSS's version: send it back in If-Match to edit it.";

    public static void MapMrssEndpoints(this IEndpointRouteBuilder app)
    {
        var mrss = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/mrss").WithTags("MRSS");
        mrss.MapGet("/", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(WithETag(response, await mediator.Send(new GetMrss.Query(trialId, participantId, visitCode), ct))))
            .Describe(
                "GetMrss", "Get a visit's MRSS",
                "The modified Rodnan skin score recorded at the visit: the 17 area scores, total, baseline total and change from "
                + "baseline; 404 when none is recorded yet. The ETag is the version an edit must name in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        mrss.MapPut("/", async (Guid trialId, Guid participantId, string visitCode, RecordMrss.Body body, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var ifMatch = request.Headers.IfMatch.ToString();
                var command = new RecordMrss.Command(
                    trialId, participantId, visitCode, body.AssessedOn, body.AssessorName, body.Scores, body.Reason, body.Total is not null,
                    ifMatch.Length == 0 ? null : ifMatch);
                return TypedResults.Ok(WithETag(request.HttpContext.Response, await mediator.Send(command, ct)));
            })
            .Describe(
                "RecordMrss", "Record a visit's MRSS",
                "Records the 17 area scores (0 to 3; the total is computed). The first save needs no reason; an edit needs a reason "
                + "and the version it was made from in If-Match: without it 428, from an older version 409 StaleEdit, and nothing changes.")
            .WithRequestHeader("If-Match", "The ETag of the MRSS the edit was made from; required to edit an MRSS already recorded (428 without it).")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
    }

    private static MrssView WithETag(HttpResponse response, MrssView view)
    {
        response.Headers.ETag = view.ETag;
        return view;
    }
}

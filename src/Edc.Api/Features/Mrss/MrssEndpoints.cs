using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Mrss;

public static class MrssEndpoints
{
    public static void MapMrssEndpoints(this IEndpointRouteBuilder app)
    {
        var mrss = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/mrss").WithTags("MRSS");
        mrss.MapGet("/", async (Guid trialId, Guid participantId, string visitCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                WithETag(response, await mediator.Send(new GetMrss.Query(trialId, participantId, visitCode), ct)))
            .RequireRoles(Authorization.EveryRole);
        mrss.MapPut("/", async (Guid trialId, Guid participantId, string visitCode, RecordMrss.Body body, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                var ifMatch = request.Headers.IfMatch.ToString();
                var command = new RecordMrss.Command(
                    trialId, participantId, visitCode, body.AssessedOn, body.AssessorName, body.Scores, body.Reason, body.Total is not null,
                    ifMatch.Length == 0 ? null : ifMatch);
                return WithETag(request.HttpContext.Response, await mediator.Send(command, ct));
            })
            .RequireRoles(Authorization.DataEntry);
    }

    private static MrssView WithETag(HttpResponse response, MrssView view)
    {
        response.Headers.ETag = view.ETag;
        return view;
    }
}

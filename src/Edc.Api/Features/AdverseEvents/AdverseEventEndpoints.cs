using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.AdverseEvents;

public static class AdverseEventEndpoints
{
    // Safety data is read by the trial's clinical and oversight roles; the pharmacist, who may see arms, sees none of it.
    private static readonly string[] SafetyReaders = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician];

    public static void MapAdverseEventEndpoints(this IEndpointRouteBuilder app)
    {
        var trial = app.MapGroup("/api/trials/{trialId:guid}").WithTags("Adverse events");
        trial.MapPost("/participants/{participantId:guid}/adverse-events", async (Guid trialId, Guid participantId, AdverseEventBody body, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(new RecordAdverseEvent.Command(trialId, participantId, body), ct);
                return Results.Created($"/api/trials/{trialId}/adverse-events/{recorded.Id}", recorded);
            })
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        trial.MapGet("/adverse-events", (Guid trialId, bool? serious, Guid? siteId, Guid? participantId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAdverseEvents.Query(trialId, serious, siteId, participantId, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(SafetyReaders);
        trial.MapGet("/adverse-events/{adverseEventId:guid}", async (Guid trialId, Guid adverseEventId, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                response.WithETag(await mediator.Send(new GetAdverseEvent.Query(trialId, adverseEventId), ct)))
            .RequireRoles(SafetyReaders);
        trial.MapPut("/adverse-events/{adverseEventId:guid}", async (
                Guid trialId, Guid adverseEventId, AdverseEventBody body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                response.WithETag(await mediator.Send(new ReviseAdverseEvent.Command(trialId, adverseEventId, body, ifMatch), ct)))
            .RequireRoles(Authorization.DataEntry);
        trial.MapPost("/adverse-events/{adverseEventId:guid}/expedited-reports", (Guid trialId, Guid adverseEventId, RecordExpeditedReport.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RecordExpeditedReport.Command(trialId, adverseEventId, body.Recipient, body.SentAt), ct))
            .RequireRoles(Roles.Admin);
        trial.MapGet("/expedited-reports", (Guid trialId, ReportTimeliness? status, Guid? siteId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ExpeditedReportWorklist.Query(trialId, status, siteId, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(Roles.Admin, Roles.Investigator);
    }
}

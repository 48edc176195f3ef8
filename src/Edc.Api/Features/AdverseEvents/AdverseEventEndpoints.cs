using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.AdverseEvents;

public static class AdverseEventEndpoints
{
    // Safety data is read by the trial's clinical and oversight roles; the pharmacist, who may see arms, sees none of it.
    private static readonly string[] SafetyReaders = [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager];

    public static void MapAdverseEventEndpoints(this IEndpointRouteBuilder app)
    {
        var trial = app.MapGroup("/api/trials/{trialId:guid}").WithTags("Adverse events");
        trial.MapPost("/participants/{participantId:guid}/adverse-events", async (Guid trialId, Guid participantId, AdverseEventBody body, IMediator mediator, CancellationToken ct) =>
            {
                var recorded = await mediator.Send(new RecordAdverseEvent.Command(trialId, participantId, body), ct);
                return TypedResults.Created($"/api/trials/{trialId}/adverse-events/{recorded.Id}", recorded);
            })
            .Describe(
                "RecordAdverseEvent", "Record an adverse event",
                "Records a participant's adverse event as version 1. The awareness date defaults to now; a serious event starts the "
                + "sponsor's 24-hour reporting clock and notifies the site's investigators and the admins; a fatal one records the death.")
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        trial.MapGet("/adverse-events", async (Guid trialId, bool? serious, Guid? siteId, Guid? participantId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAdverseEvents.Query(trialId, serious, siteId, participantId, PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "ListAdverseEvents", "List adverse events",
                "The adverse events the caller may see (own sites for site roles, every site for the board), newest first, filtered by "
                + "seriousness, site and participant, paged.")
            .RequireRoles(SafetyReaders);
        trial.MapGet("/adverse-events/{adverseEventId:guid}", async (Guid trialId, Guid adverseEventId, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new GetAdverseEvent.Query(trialId, adverseEventId), ct))))
            .Describe(
                "GetAdverseEvent", "Get an adverse event",
                "One adverse event with every version: who entered it, when, why, and the whole form as it was. The ETag is the current "
                + "version, which a revision must name in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(SafetyReaders);
        trial.MapPut("/adverse-events/{adverseEventId:guid}", async (
                Guid trialId, Guid adverseEventId, AdverseEventBody body, [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch,
                HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new ReviseAdverseEvent.Command(trialId, adverseEventId, body, ifMatch), ct))))
            .Describe(
                "ReviseAdverseEvent", "Revise an adverse event",
                "Records a new version of the whole form, with the reason for the change, made from the version named in If-Match; "
                + "answers the event as its GET does.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
        trial.MapPost("/adverse-events/{adverseEventId:guid}/expedited-reports", async (Guid trialId, Guid adverseEventId, RecordExpeditedReport.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RecordExpeditedReport.Command(trialId, adverseEventId, body.Recipient, body.SentAt), ct)))
            .Describe(
                "RecordExpeditedReport", "Record an expedited report as sent",
                "Records when the report to the sponsor or the regulators was sent, which settles whether it was on time. A regulatory "
                + "act, not clinical data: allowed after the database lock.")
            .RequireRoles(Roles.Admin);
        trial.MapGet("/expedited-reports", async (Guid trialId, PendingReportStatus? status, Guid? siteId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ExpeditedReportWorklist.Query(trialId, status, siteId, PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "ListExpeditedReports", "Expedited reports to send",
                "The reports due to the sponsor (serious events) and the regulators (SUSARs) not yet recorded as sent, at the caller's "
                + "sites, nearest deadline first; status filters Due or Overdue.")
            .RequireRoles(Roles.Admin, Roles.Investigator);
    }
}

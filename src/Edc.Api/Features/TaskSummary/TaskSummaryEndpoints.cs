using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.TaskSummary;

public static class TaskSummaryEndpoints
{
    public static void MapTaskSummaryEndpoints(this IEndpointRouteBuilder app) =>
        app.MapGet("/api/trials/{trialId:guid}/task-summary", async (Guid trialId, Guid? siteId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetTaskSummary.Query(trialId, siteId), ct)))
            .Describe(
                "GetTaskSummary", "Task summary",
                "What is left to do at each of the caller's sites (or the one asked for) and for each participant with anything left: visits "
                + "overdue, forms to complete, open queries, answered queries awaiting closure, forms to verify, visits and casebooks to sign, "
                + "forms ready to freeze.")
            .WithTags("Data management")
            .RequireRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager);
}

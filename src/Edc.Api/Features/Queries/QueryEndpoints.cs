using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using MediatR;

namespace Edc.Api.Features.Queries;

public static class QueryEndpoints
{
    public static void MapQueryEndpoints(this IEndpointRouteBuilder app)
    {
        var queries = app.MapGroup("/api/trials/{trialId:guid}/queries").WithTags("Queries");
        queries.MapPost("/", async (Guid trialId, RaiseQuery.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var raised = await mediator.Send(
                    new RaiseQuery.Command(trialId, body.ParticipantId, body.VisitCode, body.FormCode, body.ItemCode, body.LogEntryId, body.Text), ct);
                return TypedResults.Created($"/api/trials/{trialId}/queries/{raised.Id}", raised);
            })
            .Describe(
                "RaiseQuery", "Raise a query",
                "A question on a participant's form at a visit (visitCode) or on a log entry (logEntryId), or on one item of it; the site's "
                + "coordinators and investigators are told. Frozen forms and locked casebooks take queries; a locked trial does not (409).")
            .RequireRoles(QueryRoles.Raisers)
            .Idempotent();
        queries.MapGet("/", async (
                Guid trialId, QueryStatus? status, Guid? siteId, Guid? participantId, string? formCode, int? page, int? pageSize, IMediator mediator,
                CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListQueries.Query(trialId, status, siteId, participantId, formCode, PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "ListQueries", "List queries",
                "The queries of the caller's sites, filtered by status, site, participant and form, paged, with the counts per status. A monitor or "
                + "data manager gets answered ones (awaiting closure) first, then open ones; site staff open ones (to answer) first; closed ones last.")
            .RequireRoles(QueryRoles.Readers);
        queries.MapGet("/{queryId:guid}", async (Guid trialId, Guid queryId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetQuery.Query(trialId, queryId), ct)))
            .Describe("GetQuery", "Get a query", "The query with its thread: each message's author (name, or system), role, time, text and kind.")
            .RequireRoles(QueryRoles.Readers);
        queries.MapPost("/{queryId:guid}/responses", async (Guid trialId, Guid queryId, AnswerQuery.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new AnswerQuery.Command(trialId, queryId, body.Text), ct)))
            .Describe(
                "AnswerQuery", "Answer a query",
                "The site's answer: the query becomes Answered and whoever raised it is told. A closed query takes no answer (409 QueryClosed).")
            .RequireRoles(QueryRoles.Answerers);
        queries.MapPost("/{queryId:guid}/close", async (Guid trialId, Guid queryId, CloseQuery.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new CloseQuery.Command(trialId, queryId, body.Comment), ct)))
            .Describe(
                "CloseQuery", "Close a query",
                "With a comment. A monitor or data manager closes any query of their sites; anyone else only a query they raised (409 QueryNotYours).")
            .RequireRoles(QueryRoles.Raisers);
        queries.MapPost("/{queryId:guid}/reopen", async (Guid trialId, Guid queryId, ReopenQuery.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ReopenQuery.Command(trialId, queryId, body.Text), ct)))
            .Describe(
                "ReopenQuery", "Reopen a query",
                "A closed query opens again, with a message; whoever may close it may reopen it (a monitor, a data manager, or its raiser).")
            .RequireRoles(QueryRoles.Raisers);
    }
}

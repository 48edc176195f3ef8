using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>
/// Safety summaries for the data safety board. The board (DsmbMember) and the unblinded statistician list, read and
/// generate them; nobody else, site roles included (403). Open (masked groups) by default; <c>?view=closed</c> shows
/// the real arms to those the blinding gate allows, and answers 403 to anyone else.
/// </summary>
public static class SafetySummaryEndpoints
{
    public static readonly string[] SummaryRoles = [Roles.DsmbMember, Roles.UnblindedStatistician];

    /// <summary>The report is a document, not an application: nothing may run, load or be framed.</summary>
    public const string ReportContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static void MapSafetySummaryEndpoints(this IEndpointRouteBuilder app)
    {
        var summaries = app.MapGroup("/api/trials/{trialId:guid}/safety-summaries").WithTags("Safety summaries");
        summaries.MapPost("/", async (Guid trialId, IMediator mediator, CancellationToken ct) =>
            {
                var result = await mediator.Send(new GenerateSafetySummary.Command(trialId), ct);
                return Results.Created($"/api/trials/{trialId}/safety-summaries/{result.Summary.Id}", result.Summary);
            })
            .Produces<SafetySummaryInfo>(StatusCodes.Status201Created)
            .RequireRoles(SummaryRoles)
            .Idempotent();
        summaries.MapGet("/", (Guid trialId, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListSafetySummaries.Query(trialId, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(SummaryRoles);
        summaries.MapGet("/{summaryId:guid}", (Guid trialId, Guid summaryId, string? view, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetSafetySummary.Query(trialId, summaryId, view), ct))
            .RequireRoles(SummaryRoles);
        summaries.MapGet("/{summaryId:guid}/report", async (Guid trialId, Guid summaryId, string? view, HttpContext context, IMediator mediator, CancellationToken ct) =>
            {
                var html = await mediator.Send(new GetSafetySummaryReport.Query(trialId, summaryId, view), ct);
                context.Response.Headers.ContentSecurityPolicy = ReportContentSecurityPolicy;
                context.Response.Headers.XContentTypeOptions = "nosniff";
                context.Response.Headers.CacheControl = "no-store";
                context.Response.Headers["Referrer-Policy"] = "no-referrer";
                return Results.Content(html, "text/html; charset=utf-8");
            })
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .RequireRoles(SummaryRoles);
    }
}

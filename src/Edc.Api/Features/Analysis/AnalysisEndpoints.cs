using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Analysis;

public static class AnalysisEndpoints
{
    public static void MapAnalysisEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trials/{trialId:guid}/analyses/primary", async (Guid trialId, string? quantileMethod, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetPrimaryAnalysis.Query(trialId, quantileMethod), ct)))
            .Describe(
                "GetPrimaryAnalysis", "Primary endpoint analysis",
                "The change in MRSS total from Day 0 to the final visit: the population and the excluded, per group the median and quartiles "
                + "(HF6 by default, HF7 on request) of baseline, final and change with a Wilcoxon signed-rank test, between the groups a Wilcoxon "
                + "rank-sum test with the Hodges-Lehmann difference and its 95% confidence interval, and adverse events per group. By arm for "
                + "the unblinded statistician and, after the final unblinding, for everyone (audited); by masked group for the data safety "
                + "board before it; 403 for anyone else.")
            .WithTags("Analysis")
            .RequireRoles(Authorization.EveryRole);
        app.MapGet("/api/trials/{trialId:guid}/analyses/primary/report", async (Guid trialId, string? quantileMethod, HttpContext context, IMediator mediator, CancellationToken ct) =>
                HtmlDocument.Result(context, await mediator.Send(new GetPrimaryAnalysisReport.Query(trialId, quantileMethod), ct)))
            .Describe(
                "GetPrimaryAnalysisReport", "Primary endpoint analysis as HTML",
                "The same analysis, for the same callers and with the same quantile method, as a self-contained HTML document laid out like a "
                + "journal's table, with a paired plot per group (inline CSS and SVG, no script, prints on A4), stamped with who produced it, the "
                + "data cut-off and the audit trail's last hash.")
            .Produces<string>(StatusCodes.Status200OK, "text/html")
            .WithTags("Analysis")
            .RequireRoles(Authorization.EveryRole);
    }
}

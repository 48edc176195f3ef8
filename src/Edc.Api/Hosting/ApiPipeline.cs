using Edc.Api.Common;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Features.Analysis;
using Edc.Api.Features.Audit;
using Edc.Api.Features.Auth;
using Edc.Api.Features.Casebook;
using Edc.Api.Features.CasebookLocks;
using Edc.Api.Features.Exports;
using Edc.Api.Features.Forms;
using Edc.Api.Features.Infusions;
using Edc.Api.Features.Mrss;
using Edc.Api.Features.Notifications;
using Edc.Api.Features.Participants;
using Edc.Api.Features.Queries;
using Edc.Api.Features.Randomization;
using Edc.Api.Features.Reviews;
using Edc.Api.Features.SafetySummaries;
using Edc.Api.Features.Signatures;
using Edc.Api.Features.TaskSummary;
using Edc.Api.Features.Trials;
using Edc.Api.Features.Unblinding;
using Edc.Api.Features.Users;
using Edc.Api.Features.Visits;
using Edc.Api.Security;
using Edc.Api.Web;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;

namespace Edc.Api.Hosting;

public static class ApiPipeline
{
    public static WebApplication UseEdcApi(this WebApplication app)
    {
        // First, so that every response has them, error pages included.
        app.UseMiddleware<SecurityHeaders>();
        if (!app.Environment.IsDevelopment())
        {
            app.UseHsts();
        }

        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseSwaggerUI(options =>
        {
            options.SwaggerEndpoint("/openapi/v1.json", "Edc API v1");
            options.RoutePrefix = "swagger";
        });
        app.UseRouting();
        app.UseAuthentication();
        app.UseMiddleware<SessionValidation>();
        app.UseAuthorization();
        app.UseAntiforgery();
        // After authorization: it needs the current user, and only requests the caller may make claim a key.
        app.UseMiddleware<IdempotencyMiddleware>();

        app.MapOpenApi().AllowAnonymous();
        app.MapHealthChecks("/health/live", new HealthCheckOptions { Predicate = _ => false }).AllowAnonymous();
        app.MapHealthChecks("/health/ready", new HealthCheckOptions { Predicate = check => check.Tags.Contains("ready") }).AllowAnonymous();
        app.MapAuthEndpoints();
        app.MapUserEndpoints();
        app.MapTrialEndpoints();
        app.MapParticipantEndpoints();
        app.MapRandomizationEndpoints();
        app.MapVisitEndpoints();
        app.MapTaskSummaryEndpoints();
        app.MapAnalysisEndpoints();
        app.MapInfusionEndpoints();
        app.MapAdverseEventEndpoints();
        app.MapCasebookEndpoints();
        app.MapSignatureEndpoints();
        app.MapMrssEndpoints();
        app.MapFormEndpoints();
        app.MapReviewEndpoints();
        app.MapCasebookLockEndpoints();
        app.MapQueryEndpoints();
        app.MapUnblindingEndpoints();
        app.MapAuditEndpoints();
        app.MapExportEndpoints();
        app.MapNotificationEndpoints();
        app.MapSafetySummaryEndpoints();
        app.MapJobsDashboard();
        app.MapEdcWeb();

        // Unknown routes answer 404 problem details, not the fallback policy's 401/403; known paths with another
        // method or content type answer 405 or 415.
        app.MapFallback("{*path}", (HttpContext http, UnmatchedRequests unmatched) => unmatched.Answer(http))
            .AllowAnonymous()
            .ExcludeFromDescription();
        return app;
    }
}

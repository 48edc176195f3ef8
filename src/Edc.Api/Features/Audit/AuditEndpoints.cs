using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.Audit;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trials/{trialId:guid}/audit", async (Guid trialId, [AsParameters] AuditParameters parameters, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAuditEntries.Query(trialId, parameters.Filter, parameters.PageRequest), ct)))
            .Describe(
                "ListTrialAuditEntries", "A trial's audit trail",
                "Who, with which role, did what and when, field by field with old and new values and the reason; Admins see every row, "
                + "Investigators those of their own sites. Filtered by entity, user and time, paged.")
            .WithTags("Audit")
            .RequireRoles(Roles.Admin, Roles.Investigator, Roles.Monitor, Roles.DataManager);
        app.MapGet("/api/audit", async ([AsParameters] AuditParameters parameters, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListAuditEntries.Query(null, parameters.Filter, parameters.PageRequest), ct)))
            .Describe(
                "ListAuditEntries", "The whole audit trail",
                "Every audit row, sign-ins and account changes included, filtered by entity, user and time, paged.")
            .WithTags("Audit")
            .RequireRoles(Roles.Admin);
        app.MapGet("/api/audit/verification", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new VerifyAuditTrail.Query(), ct)))
            .Describe(
                "VerifyAuditTrail", "Verify the audit trail",
                "Recomputes the audit trail's hash chain and says whether it is intact, and where it breaks if not.")
            .WithTags("Audit")
            .RequireRoles(Roles.Admin);
    }

    /// <summary>The audit trail's filters and paging, named in the query string as the contract names them.</summary>
    public sealed record AuditParameters(
        [FromQuery(Name = "entityType")] string? EntityType,
        [FromQuery(Name = "entityId")] string? EntityId,
        [FromQuery(Name = "userId")] Guid? UserId,
        [FromQuery(Name = "from")] DateTimeOffset? From,
        [FromQuery(Name = "to")] DateTimeOffset? To,
        [FromQuery(Name = "page")] int? Page,
        [FromQuery(Name = "pageSize")] int? PageSize)
    {
        public AuditFilter Filter => new(EntityType, EntityId, UserId, From, To);

        public PageRequest PageRequest => PageRequest.From(Page, PageSize);
    }
}

using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Audit;

public static class AuditEndpoints
{
    public static void MapAuditEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/trials/{trialId:guid}/audit", (Guid trialId, [AsParameters] AuditParameters parameters, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAuditEntries.Query(trialId, parameters.Filter, parameters.PageRequest), ct))
            .WithTags("Audit")
            .RequireRoles(Roles.Admin, Roles.Investigator);
        app.MapGet("/api/audit", ([AsParameters] AuditParameters parameters, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListAuditEntries.Query(null, parameters.Filter, parameters.PageRequest), ct))
            .WithTags("Audit")
            .RequireRoles(Roles.Admin);
        app.MapGet("/api/audit/verification", (IMediator mediator, CancellationToken ct) => mediator.Send(new VerifyAuditTrail.Query(), ct))
            .WithTags("Audit")
            .RequireRoles(Roles.Admin);
    }

    public sealed record AuditParameters(
        string? EntityType, string? EntityId, Guid? UserId, DateTimeOffset? From, DateTimeOffset? To, int? Page, int? PageSize)
    {
        public AuditFilter Filter => new(EntityType, EntityId, UserId, From, To);

        public PageRequest PageRequest => PageRequest.From(Page, PageSize);
    }
}

using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Users;

public static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", (IMediator mediator, CancellationToken ct) => mediator.Send(new GetMe.Query(), ct))
            .WithTags("Accounts")
            .RequireRoles(Authorization.EveryRole);

        var users = app.MapGroup("/api/users").WithTags("Accounts").RequireRoles(Roles.Admin);
        users.MapPost("/", async (CreateUser.Command command, IMediator mediator, CancellationToken ct) =>
        {
            var created = await mediator.Send(command, ct);
            return Results.Created($"/api/users/{created.Id}", created);
        }).Idempotent();
        users.MapGet("/", (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
            mediator.Send(new ListUsers.Query(PageRequest.From(page, pageSize)), ct));
        users.MapGet("/{id:guid}", (Guid id, IMediator mediator, CancellationToken ct) => mediator.Send(new GetUser.Query(id), ct));
        users.MapPatch("/{id:guid}", (Guid id, UpdateUser.Body body, IMediator mediator, CancellationToken ct) =>
            mediator.Send(new UpdateUser.Command(id, body.Roles, body.SiteIds, body.Active, body.DisplayName, body.Reason), ct));
    }
}

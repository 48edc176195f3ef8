using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Users;

public static class UserEndpoints
{
    public static void MapUserEndpoints(this IEndpointRouteBuilder app)
    {
        app.MapGet("/api/me", async (IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new GetMe.Query(), ct)))
            .Describe("GetMe", "Who am I", "The caller's account: id, email, roles and the sites of site-scoped roles.")
            .WithTags("Accounts")
            .RequireRoles(Authorization.EveryRole);

        var users = app.MapGroup("/api/users").WithTags("Accounts").RequireRoles(Roles.Admin);
        users.MapPost("/", async (CreateUser.Command command, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(command, ct);
                return TypedResults.Created($"/api/users/{created.Id}", created);
            })
            .Describe("CreateUser", "Create a user", "Creates an account with its roles and, for site-scoped roles, its sites. There is no self-registration.")
            .Idempotent();
        users.MapGet("/", async (int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListUsers.Query(PageRequest.From(page, pageSize)), ct)))
            .Describe("ListUsers", "List users", "Every account, paged.");
        users.MapGet("/{id:guid}", async (Guid id, IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new GetUser.Query(id), ct)))
            .Describe("GetUser", "Get a user", "One account with its roles and sites.");
        users.MapPatch("/{id:guid}", async (Guid id, UpdateUser.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new UpdateUser.Command(id, body.Roles, body.SiteIds, body.Active, body.DisplayName, body.Reason), ct)))
            .Describe(
                "UpdateUser", "Change a user",
                "Changes the fields sent (roles, sites, active, display name) and keeps the others. A deactivated account cannot sign in and its "
                + "tokens are refused.");
    }
}

using System.Security.Claims;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Auth;

public static class AuthEndpoints
{
    public const string LoginRateLimit = "login";

    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/login", (Login.Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct))
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit);
        auth.MapPost("/refresh", (RefreshToken.Command command, IMediator mediator, CancellationToken ct) => mediator.Send(command, ct))
            .AllowAnonymous()
            .RequireRateLimiting(LoginRateLimit);
        auth.MapPost("/logout", async (ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new Logout.Command(Guid.Parse(user.FindFirstValue(TokenIssuer.SessionClaim)!)), ct);
                return Results.NoContent();
            })
            .RequireRoles(Authorization.EveryRole);
    }
}

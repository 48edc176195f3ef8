using System.Security.Claims;
using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Auth;

public static class AuthEndpoints
{
    public static void MapAuthEndpoints(this IEndpointRouteBuilder app)
    {
        var auth = app.MapGroup("/api/auth").WithTags("Accounts");
        auth.MapPost("/login", async (Login.Command command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command, ct)))
            .Describe(
                "Login", "Sign in",
                "Exchanges an email and password for a bearer access token and a refresh token. Wrong credentials, a locked or "
                + "deactivated account all answer the same 401; repeated failures lock the account, and too many failures for one account or from one address answer 429 for a while.")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        auth.MapPost("/refresh", async (RefreshToken.Command command, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(command, ct)))
            .Describe(
                "RefreshToken", "Refresh the access token",
                "Exchanges a refresh token for a new access token and refresh token of the same session; 401 once the session has "
                + "ended (signed out, deactivated, expired).")
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .AllowAnonymous();
        auth.MapPost("/logout", async (ClaimsPrincipal user, IMediator mediator, CancellationToken ct) =>
            {
                await mediator.Send(new Logout.Command(Guid.Parse(user.FindFirstValue(TokenIssuer.SessionClaim)!)), ct);
                return TypedResults.NoContent();
            })
            .Describe("Logout", "Sign out", "Ends the caller's session: its access and refresh tokens are refused from now on.")
            .RequireRoles(Authorization.EveryRole);
    }
}

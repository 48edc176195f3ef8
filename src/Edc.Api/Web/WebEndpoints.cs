using System.Security.Claims;
using Edc.Api.Features.Auth;
using Edc.Api.Security;
using MediatR;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;

namespace Edc.Api.Web;

/// <summary>The web interface's endpoints: its own static files, the pages (Razor components) and the sign-out.</summary>
public static class WebEndpoints
{
    private const string OpaqueRedirect = "/_framework/opaque-redirect";

    public static void MapEdcWeb(this WebApplication app)
    {
        // Edc's stylesheet and Blazor's script, served by Edc itself; files anyone may fetch, like the sign-in page.
        // (appsettings.json turns off ReloadStaticAssetsAtRuntime: its catch-all endpoint would state no authorization.)
        app.MapStaticAssets().AllowAnonymous();

        // Each page states its own authorization ([Authorize(Roles = ...)] or [AllowAnonymous]); the fallback denies the
        // rest. Blazor's own redirect endpoint serves enhanced navigation to the sign-in page, before anyone signed in.
        app.MapRazorComponents<App>().Add(endpoint =>
        {
            if (endpoint is RouteEndpointBuilder { RoutePattern.RawText: OpaqueRedirect })
            {
                endpoint.Metadata.Add(new AllowAnonymousAttribute());
            }
        });

        // Anonymous on purpose: a browser whose session already ended must still be able to clear its cookie.
        app.MapPost("/sign-out", SignOutAsync)
            .WithMetadata(new RequireAntiforgeryTokenAttribute())
            .AllowAnonymous()
            .ExcludeFromDescription();
    }

    private static async Task<IResult> SignOutAsync(HttpContext http, IMediator mediator, CancellationToken cancellationToken)
    {
        if (http.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "The form is not valid.",
                detail: "The form was not sent from an Edc page; open the page again and retry.",
                type: Common.ProblemMapping.TypePrefix + "antiforgery");
        }

        if (Guid.TryParse(http.User.FindFirstValue(TokenIssuer.SessionClaim), out var sessionId))
        {
            await mediator.Send(new Logout.Command(sessionId), cancellationToken);
        }

        await http.SignOutAsync(WebSessionSettings.CookieScheme);
        return TypedResults.Redirect("/sign-in");
    }
}

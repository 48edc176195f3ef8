using Edc.Api.Security;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;

namespace Edc.Api.Web;

/// <summary>
/// The web interface's services: Razor components rendered on the server (static rendering, enhanced forms) and the
/// cookie session beside the API's bearer tokens, chosen per request by <see cref="SelectScheme"/>.
/// </summary>
public static class WebServices
{
    public static AuthenticationBuilder AddEdcWeb(this IServiceCollection services, AuthenticationBuilder authentication)
    {
        services.AddRazorComponents();
        services.AddCascadingAuthenticationState();
        services.AddHttpContextAccessor();
        services.AddSingleton<WebSessionSettings>();
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "edc_antiforgery";
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            // SecurityHeaders sends DENY; anti-forgery's own default would be SAMEORIGIN.
            options.SuppressXFrameOptionsHeader = true;
        });

        // Read when the options are built, so that test settings given to the host apply.
        services.AddOptions<CookieAuthenticationOptions>(WebSessionSettings.CookieScheme)
            .Configure<WebSessionSettings>((options, settings) => options.ExpireTimeSpan = settings.IdleTimeout);
        return authentication
            .AddPolicyScheme(WebSessionSettings.PolicyScheme, null, options => options.ForwardDefaultSelector = SelectScheme)
            .AddCookie(WebSessionSettings.CookieScheme, options =>
            {
                options.Cookie.Name = WebSessionSettings.CookieName;
                options.Cookie.HttpOnly = true;
                options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                options.Cookie.SameSite = SameSiteMode.Strict;
                options.Cookie.IsEssential = true;
                options.SlidingExpiration = true;
                options.LoginPath = "/sign-in";
                options.ReturnUrlParameter = "returnUrl";
                options.Events.OnValidatePrincipal = RenewAfterAStep;
                options.Events.OnRedirectToLogin = RedirectPagesOnly;
                options.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
            });
    }

    /// <summary>
    /// The bearer token when the request has one; else the cookie when it has one, or when a browser asks for a page (so
    /// that it is sent to the sign-in page); else the bearer scheme, whose challenge is the API's plain 401.
    /// </summary>
    public static string SelectScheme(HttpContext context)
    {
        var request = context.Request;
        if (request.Headers.Authorization.ToString().StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return IdentityConstants.BearerScheme;
        }

        return request.Cookies.ContainsKey(WebSessionSettings.CookieName) || WantsPage(request)
            ? WebSessionSettings.CookieScheme
            : IdentityConstants.BearerScheme;
    }

    /// <summary>A browser's request for a page: HTML accepted, outside the API.</summary>
    public static bool WantsPage(HttpRequest request) =>
        !request.Path.StartsWithSegments("/api", StringComparison.OrdinalIgnoreCase)
        && request.Headers.Accept.ToString().Contains("text/html", StringComparison.OrdinalIgnoreCase);

    // The framework renews a sliding cookie only after half its life; renewing a step at a time keeps the browser's
    // expiry close to the session row's, which SessionValidation renews as often.
    private static Task RenewAfterAStep(CookieValidatePrincipalContext context)
    {
        var settings = context.HttpContext.RequestServices.GetRequiredService<WebSessionSettings>();
        var now = context.HttpContext.RequestServices.GetRequiredService<TimeProvider>().GetUtcNow();
        if (context.Properties.IssuedUtc is { } issued && now - issued > settings.RenewalStep)
        {
            context.ShouldRenew = true;
        }

        return Task.CompletedTask;
    }

    // An API call with a stale cookie must still get the API's 401, never a redirect to a page.
    private static Task RedirectPagesOnly(RedirectContext<CookieAuthenticationOptions> context)
    {
        if (WantsPage(context.Request))
        {
            context.Response.Redirect(context.RedirectUri);
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status401Unauthorized;
        }

        return Task.CompletedTask;
    }
}

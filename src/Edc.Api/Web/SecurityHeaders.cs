namespace Edc.Api.Web;

/// <summary>
/// Security headers on every response: a content security policy that allows only Edc's own scripts, styles and images
/// and no framing, <c>nosniff</c> and a same-origin referrer. A response that set its own policy keeps it (the reports'
/// <c>HtmlDocument</c> policy is stricter); the jobs dashboard and the API explorer, third-party pages with inline
/// scripts and styles, get a policy relaxed for those alone.
/// </summary>
public sealed class SecurityHeaders(RequestDelegate next)
{
    public const string Policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; "
        + "object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    private const string ThirdPartyPagePolicy =
        "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; "
        + "connect-src 'self'; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'";

    public Task InvokeAsync(HttpContext context)
    {
        // Chosen now: the dashboard moves its prefix from the path to the path base while it answers.
        var path = context.Request.Path;
        var policy = path.StartsWithSegments("/jobs") || path.StartsWithSegments("/swagger") ? ThirdPartyPagePolicy : Policy;
        context.Response.OnStarting(() =>
        {
            var headers = context.Response.Headers;
            if (!headers.ContainsKey("Content-Security-Policy"))
            {
                headers.ContentSecurityPolicy = policy;
            }

            headers.XFrameOptions = "DENY";
            headers.XContentTypeOptions = "nosniff";
            headers["Referrer-Policy"] = "same-origin";
            return Task.CompletedTask;
        });
        return next(context);
    }
}

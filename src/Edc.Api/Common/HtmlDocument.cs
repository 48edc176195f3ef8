namespace Edc.Api.Common;

/// <summary>
/// A report answered as an HTML document: a document, not an application, so nothing in it may run, load or be framed
/// (a policy stricter than the pages'), it is never cached and it sends no referrer.
/// </summary>
public static class HtmlDocument
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    public static IResult Result(HttpContext context, string html)
    {
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.CacheControl = "no-store";
        headers["Referrer-Policy"] = "no-referrer";
        return TypedResults.Content(html, "text/html; charset=utf-8");
    }
}

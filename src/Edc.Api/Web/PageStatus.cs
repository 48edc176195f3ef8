namespace Edc.Api.Web;

/// <summary>A page's HTTP status other than 200, for a page that is drawn all the same (a notice of why it shows nothing).</summary>
public static class PageStatus
{
    /// <summary>
    /// Set as the page starts to be sent: .NET 10's renderer drops the body of a response whose status is already an error
    /// while it renders (leaving it to a NotFoundPage or re-execution), and the status-code pages then send nothing useful.
    /// </summary>
    public static void Set(HttpContext? context, int statusCode)
    {
        if (context is { Response.HasStarted: false } http)
        {
            http.Response.OnStarting(() =>
            {
                http.Response.StatusCode = statusCode;
                return Task.CompletedTask;
            });
        }
    }
}

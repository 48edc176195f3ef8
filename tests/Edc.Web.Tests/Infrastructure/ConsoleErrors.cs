using Microsoft.Playwright;

namespace Edc.Web.Tests.Infrastructure;

/// <summary>What a page reports as wrong while it runs: console errors (a refused script or style among them) and uncaught exceptions.</summary>
public static class ConsoleErrors
{
    /// <summary>The list fills from now on, as the page logs errors.</summary>
    public static List<string> Collect(IPage page)
    {
        var errors = new List<string>();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add($"{page.Url}: {message.Text} ({message.Location})");
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return errors;
    }
}

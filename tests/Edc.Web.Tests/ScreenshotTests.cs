using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>
/// Screenshots of the main pages, written to <c>EDC_SCREENSHOTS</c> when it names a folder (docs/screenshots is where
/// they are kept, looked at before they are committed), else beside the tests.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScreenshotTests(WebApp web)
{
    [Fact]
    public async Task Screenshots_OfTheSignInPageAndTheStartPage()
    {
        var folder = Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var page = await web.NewPageAsync();

        await page.GotoAsync("/sign-in");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "sign-in.png"), FullPage = true });

        await WebApp.SignInAsync(page, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "start.png"), FullPage = true });

        Assert.True(new FileInfo(Path.Combine(folder, "start.png")).Length > 0);
    }
}

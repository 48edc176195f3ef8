using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>The trial home on a phone and a tablet, over the demonstration data (25 participants, 16 visits wide).</summary>
[Collection(DemoWebCollection.Name)]
public sealed class NarrowScreenTests(DemoWebApp web)
{
    [Theory]
    [InlineData(390, 844)]
    [InlineData(768, 1024)]
    public async Task TrialHome_OnANarrowScreen_ScrollsTheGridInsideItsOwnBoxNotThePage_AndKeepsTheParticipantColumnInView(int width, int height)
    {
        var context = await web.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = web.BaseAddress.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        var page = await context.NewPageAsync();
        await WebApp.SignInAsync(page, "coordinator@edc.local", EdcApiFactory.AdminPassword);
        await page.GotoAsync($"/trials/{await web.Admin.DemoTrialIdAsync()}");
        var grid = page.GetByRole(AriaRole.Region, new() { Name = "Participants by visit, scrollable" });

        var document = await page.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
        Assert.True(document[0] <= document[1], $"the page scrolls sideways at {width} px: {document[0]} px wide");
        var box = await grid.EvaluateAsync<int[]>("g => [g.scrollWidth, g.clientWidth]");
        Assert.True(box[0] > box[1], $"the grid does not scroll inside its box at {width} px: {box[0]} px in {box[1]} px");

        // Scrolled to its last visit, the grid still shows whose row each is.
        await grid.EvaluateAsync("g => { g.scrollLeft = g.scrollWidth; }");
        var gridBox = (await grid.BoundingBoxAsync())!;
        var participant = (await grid.GetByRole(AriaRole.Rowheader).First.BoundingBoxAsync())!;
        Assert.InRange(participant.X, gridBox.X, gridBox.X + 2);
        Assert.True(participant.X + participant.Width <= gridBox.X + gridBox.Width, "the participant column leaves the grid's box");
        await context.CloseAsync();
    }
}

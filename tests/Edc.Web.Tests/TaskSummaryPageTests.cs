using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>The task summary is the first thing on the trial's home of those who check and sign the data.</summary>
[Collection(DemoWebCollection.Name)]
public sealed class TaskSummaryPageTests(DemoWebApp web)
{
    [Theory]
    [InlineData("monitor@edc.local")]
    [InlineData("datamanager@edc.local")]
    [InlineData("investigator@edc.local")]
    public async Task TrialHome_OfAReviewingRole_ShowsTheDemoSitesTasks(string email)
    {
        var trialId = await web.Admin.DemoTrialIdAsync();
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, EdcApiFactory.AdminPassword);

        await page.GotoAsync($"/trials/{trialId}");

        // The demo site has completed visits nobody has verified yet: the site's row counts them, and a participant's row links its casebook.
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Task summary" });
        await Assertions.Expect(table).ToBeVisibleAsync();
        var headers = await table.GetByRole(AriaRole.Columnheader).AllInnerTextsAsync();
        var column = headers.ToList().IndexOf("Forms to verify");
        Assert.True(column > 0);
        var siteRow = table.Locator("tr.site-row").First;
        var count = int.Parse(await siteRow.Locator("th, td").Nth(column).InnerTextAsync(), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(count > 0, "the demo site has forms to verify");
        await table.GetByRole(AriaRole.Link).First.ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"/trials/{trialId}/participants/[0-9a-f-]+$"));
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }
}

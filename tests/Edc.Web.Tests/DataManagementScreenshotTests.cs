using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// Screenshots of the data-management pages on the demonstration data (task-summary.png, verification.png, queries.png,
/// signing.png), written where <see cref="ScreenshotTests"/> writes.
/// </summary>
[Collection(DemoWebCollection.Name)]
public sealed class DataManagementScreenshotTests(DemoWebApp web)
{
    private static string Folder => Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Screenshots_OfTheTaskSummaryVerificationQueriesAndSigning()
    {
        Directory.CreateDirectory(Folder);
        var trialId = await web.Admin.DemoTrialIdAsync();
        var participants = await web.Admin.GetJsonAsync($"/api/trials/{trialId}/participants?status=Completed&pageSize=1");
        var participantId = participants.GetProperty("items")[0].GetProperty("id").GetGuid();

        // The monitor's home, their verification worksheet and their query inbox after raising one.
        var monitor = await web.NewPageAsync();
        await WebApp.SignInAsync(monitor, "monitor@edc.local", EdcApiFactory.AdminPassword);
        await monitor.GotoAsync($"/trials/{trialId}");
        await Expect(monitor.GetByRole(AriaRole.Table, new() { Name = "Task summary" })).ToBeVisibleAsync();
        await ShotAsync(monitor, "task-summary.png");
        await monitor.GotoAsync($"/trials/{trialId}/participants/{participantId}/verification");
        await Expect(monitor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToBeVisibleAsync();
        await ShotAsync(monitor, "verification.png");
        await monitor.GotoAsync($"/trials/{trialId}/participants/{participantId}/visits/D0/forms/VS");
        await monitor.GetByRole(AriaRole.Link, new() { Name = "Queries for Heart rate" }).ClickAsync();
        await monitor.GetByLabel("Question").FillAsync("The source notes give 84 beats a minute: please check.");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Raise query" }).ClickAsync();
        await Expect(monitor.GetByText("The source notes give 84 beats a minute").First).ToBeVisibleAsync();
        await ShotAsync(monitor, "queries.png");

        // The investigator's signing page for the casebook.
        var investigator = await web.NewPageAsync();
        await WebApp.SignInAsync(investigator, "investigator@edc.local", EdcApiFactory.AdminPassword);
        await investigator.GotoAsync($"/trials/{trialId}/participants/{participantId}/signatures/new?scope=Casebook");
        await Expect(investigator.GetByLabel("Password")).ToBeVisibleAsync();
        await ShotAsync(investigator, "signing.png");
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
    }
}

using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// Screenshots of the site forms (mrss.png, adverse-event.png, unblinding.png), written where <see cref="ScreenshotTests"/>
/// writes: <c>EDC_SCREENSHOTS</c> when it names a folder, else beside the tests.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SiteFormScreenshotTests(WebApp web)
{
    private static string Folder => Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    [Fact]
    public async Task Screenshots_OfTheMrssFormTheAdverseEventPageAndTheEmergencyUnblinding()
    {
        Directory.CreateDirectory(Folder);

        // The MRSS of week 12, being edited, against a baseline recorded by another assessor.
        var coordinator = await SiteStaff.CreateAsync(web);
        await coordinator.RecordMrssAsync("D0", 2);
        await coordinator.RecordMrssAsync("W12", 1, assessor: "Dr Other");
        var page = await coordinator.SignedInPageAsync(web, coordinator.Mrss("W12"));
        await page.GetByLabel("Face", new() { Exact = true }).FillAsync("3");
        await Expect(page.GetByLabel("Total")).ToHaveTextAsync("19");
        await Expect(page.Locator("[data-mrss-change]")).ToHaveTextAsync("-15");
        await ShotAsync(page, "mrss.png");

        // A serious adverse event just reported, with its reporting clock.
        await page.GotoAsync($"{coordinator.ParticipantPage}/adverse-events/new");
        await SafetyPageTests.FillSeriousEventAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("section.warning")).ToContainTextAsync("Report to the sponsor due");
        await ShotAsync(page, "adverse-event.png");

        // The investigator's emergency unblinding, its answer (the arm, once).
        var investigator = await SiteStaff.CreateAsync(web, Roles.Investigator);
        var unblinding = await investigator.SignedInPageAsync(web, $"{investigator.ParticipantPage}/unblinding");
        await unblinding.GetByLabel("Reason").FillAsync("Anaphylaxis; the emergency team needs to know the treatment");
        await unblinding.GetByLabel("Password").FillAsync(TestData.UserPassword);
        await unblinding.GetByRole(AriaRole.Button, new() { Name = "Unblind" }).ClickAsync();
        await Expect(unblinding.GetByRole(AriaRole.Alert)).ToContainTextAsync("Treatment arm:");
        await ShotAsync(unblinding, "unblinding.png");
    }

    private static async Task ShotAsync(IPage page, string name)
    {
        var path = Path.Combine(Folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
    }
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>A log form (concomitant medications) as a table of entries: added from its definition, corrected and removed with a reason.</summary>
[Collection(WebCollection.Name)]
public sealed class LogPageTests(WebApp web)
{
    [Fact]
    public async Task Coordinator_AddsAMedication_CorrectsIt_AndRemovesIt_EachWithItsReason()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, staff.ParticipantPage);
        await page.GetByRole(AriaRole.Link, new() { Name = "Concomitant medications" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Concomitant medications of participant");
        await Expect(page.Locator("#entries-heading")).ToHaveTextAsync("Entries (0)");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // The stop date is asked only of a medication no longer taken, live as "Ongoing" is answered.
        var stopDate = page.GetByLabel("Stop date");
        await Expect(stopDate).ToBeHiddenAsync();
        var ongoing = page.GetByRole(AriaRole.Group, new() { Name = "Ongoing" });
        await ongoing.GetByLabel("No").CheckAsync();
        await Expect(stopDate).ToBeVisibleAsync();
        await ongoing.GetByLabel("Yes").CheckAsync();
        await Expect(stopDate).ToBeHiddenAsync();

        await page.GetByLabel("Drug").FillAsync("Mycophenolate mofetil");
        await page.GetByLabel("Indication").FillAsync("Systemic sclerosis");
        await page.GetByLabel("Dose", new() { Exact = true }).FillAsync("1000");
        await page.GetByRole(AriaRole.Group, new() { Name = "Unit" }).GetByLabel("mg", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Frequency").SelectOptionAsync(new SelectOptionValue { Label = "Twice daily" });
        await page.GetByLabel("Start date").FillAsync("2026-01-20");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();

        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("The entry is added (complete).");
        var entry = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Entry 1" }) });
        await Expect(entry).ToContainTextAsync("Mycophenolate mofetil");
        await Expect(entry).ToContainTextAsync("Twice daily");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // Corrected on its own page: a reason is asked.
        await entry.GetByRole(AriaRole.Link, new() { Name = "Entry 1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync("Concomitant medications: an entry of participant");
        await page.GetByLabel("Dose", new() { Exact = true }).FillAsync("1500");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("a change needs a reason");
        await Expect(page.Locator("#reason-error")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Dose", new() { Exact = true })).ToHaveValueAsync("1500");
        await page.GetByLabel("Reason for change").FillAsync("Dose increased at the last visit");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Saved: the entry is complete (version 2).");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // Removed with a reason: kept in the log, struck through.
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove entry" }).ClickAsync();
        await Expect(page.Locator("#remove-reason-error")).ToContainTextAsync("a change needs a reason");
        await page.GetByLabel("Reason for removal").FillAsync("Entered for the wrong participant");
        await page.GetByRole(AriaRole.Button, new() { Name = "Remove entry" }).ClickAsync();

        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("The entry is removed");
        var removed = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "Entry 1" }) });
        await Expect(removed).ToHaveClassAsync("removed");
        await Expect(removed).ToContainTextAsync("Removed: Entered for the wrong participant");
        await Expect(removed.Locator("s").First).ToHaveTextAsync("Mycophenolate mofetil");

        var stored = await staff.Client.GetJsonAsync($"{staff.Participant.Path}/logs/CM");
        var item = Assert.Single(stored.GetProperty("items").EnumerateArray());
        Assert.True(item.GetProperty("removed").GetBoolean());
        Assert.Equal(1500m, item.GetProperty("values").GetProperty("DOSE").GetDecimal());
        Assert.Equal(3, item.GetProperty("version").GetInt32());

        // A second medication, stopped, beside the removed one, for the log's screenshot.
        await page.GetByLabel("Drug").FillAsync("Omeprazole");
        await page.GetByLabel("Indication").FillAsync("Reflux");
        await page.GetByLabel("Dose", new() { Exact = true }).FillAsync("20");
        await page.GetByRole(AriaRole.Group, new() { Name = "Unit" }).GetByLabel("mg", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Frequency").SelectOptionAsync(new SelectOptionValue { Label = "Once daily" });
        await page.GetByLabel("Start date").FillAsync("2025-06-01");
        await page.GetByRole(AriaRole.Group, new() { Name = "Ongoing" }).GetByLabel("No").CheckAsync();
        await page.GetByLabel("Stop date").FillAsync("2026-02-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add" }).ClickAsync();
        await Expect(page.Locator("#entries-heading")).ToHaveTextAsync("Entries (2)");
        await FormPageTests.ShotAsync(page, "log.png");
    }

    [Fact]
    public async Task TwoPagesCorrectTheSameEntry_TheLaterIsStale_ShowsWhatIsStoredAndOverwritesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var added = await staff.Client.PostAsJsonAsync($"{staff.Participant.Path}/logs/MH", new { values = new { CONDITION = "Raynaud phenomenon", ONGOING = true } }, new JsonSerializerOptions());
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        var entry = $"{staff.ParticipantPage}/logs/MH/{(await added.JsonAsync()).GetProperty("id").GetGuid()}";
        var first = await staff.SignedInPageAsync(web, entry);
        var second = await staff.SignedInPageAsync(web, entry);

        await first.GetByLabel("Condition").FillAsync("Raynaud phenomenon, secondary");
        await first.GetByLabel("Reason for change").FillAsync("Specified after the capillaroscopy");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(first.Locator(".notice[role=status]")).ToContainTextAsync("(version 2)");

        await second.GetByLabel("Onset date").FillAsync("2019-03-01");
        await second.GetByLabel("Reason for change").FillAsync("Onset found in the referral letter");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var alert = second.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Your changes were not saved");
        await Expect(alert).ToContainTextAsync("Raynaud phenomenon, secondary");
        await Expect(second.GetByLabel("Onset date")).ToHaveValueAsync("2019-03-01");
        var stored = (await staff.Client.GetJsonAsync($"{staff.Participant.Path}/logs/MH")).GetProperty("items")[0];
        Assert.Equal(2, stored.GetProperty("version").GetInt32());
        Assert.False(stored.GetProperty("values").TryGetProperty("ONSETDATE", out _));
        await AxeCheck.AssertNoSeriousViolationsAsync(second);
    }
}

using System.Net;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>The MRSS form: 17 areas scored 0 to 3, the live total, edits with their reason, and a stale edit that overwrites nothing.</summary>
[Collection(WebCollection.Name)]
public sealed partial class MrssPageTests(WebApp web)
{
    [Fact]
    public async Task Coordinator_CompletesTheMrssWithTheKeyboardAlone_TotalUpdatesLiveAndIsSaved()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, staff.Mrss("D0"));
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // From the top of the page, Tab alone reaches each field; typing scores them.
        await TabToAsync(page, "assessed-on");
        await TabToAsync(page, "assessor");
        await page.Keyboard.TypeAsync("Dr Keyboard");
        var total = 0;
        // Each field is followed by the link to its queries, one Tab further.
        foreach (var (area, i) in SiteStaff.Areas.Select((a, i) => (a, i)))
        {
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal(area, await FocusedIdAsync(page));
            var score = i % 4;
            await page.Keyboard.TypeAsync(score.ToString(System.Globalization.CultureInfo.InvariantCulture));
            total += score;
            await Expect(page.GetByLabel("Total")).ToHaveTextAsync(total.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }

        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator("p.notice[role=status]")).ToContainTextAsync($"Saved: version 1, total {total}");
        var stored = await staff.Client.GetJsonAsync(staff.ApiMrss("D0"));
        Assert.Equal(total, stored.GetProperty("total").GetInt32());
        Assert.Equal("Dr Keyboard", stored.GetProperty("assessorName").GetString());
        Assert.Equal(3, stored.GetProperty("scores").GetProperty("rightFingers").GetInt32());
        await Expect(page.GetByLabel("Reason for change")).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Coordinator_EditsAnMrssWithAReason_SavesTheNewVersionAndShowsTheChangeFromBaseline()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await staff.RecordMrssAsync("D0", 2);
        await staff.RecordMrssAsync("W12", 1);
        var page = await staff.SignedInPageAsync(web, staff.Mrss("W12"));
        await Expect(page.GetByLabel("Total")).ToHaveTextAsync("17");
        await Expect(page.Locator(".mrss-summary")).ToContainTextAsync("Baseline (Day 0) total: 34");

        // Without a reason the edit is refused, at the field and in the summary.
        await page.GetByLabel("Face", new() { Exact = true }).FillAsync("3");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("reason");
        await Expect(page.Locator("#reason-error")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Face", new() { Exact = true })).ToHaveValueAsync("3");

        await page.GetByLabel("Reason for change").FillAsync("Transcription error on the face score");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.Locator("p.notice[role=status]")).ToContainTextAsync("Saved: version 2, total 19");
        await Expect(page.Locator(".mrss-summary")).ToContainTextAsync("Change from baseline: -15");
        var stored = await staff.Client.GetJsonAsync(staff.ApiMrss("W12"));
        Assert.Equal(3, stored.GetProperty("scores").GetProperty("face").GetInt32());
        Assert.Equal(2, stored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task TwoPagesEditTheSameMrss_TheLaterSaveIsStale_ShowsTheStoredValuesAndOverwritesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await staff.RecordMrssAsync("D0", 1);
        var first = await staff.SignedInPageAsync(web, staff.Mrss("D0"));
        var second = await staff.SignedInPageAsync(web, staff.Mrss("D0"));

        await first.GetByLabel("Face", new() { Exact = true }).FillAsync("3");
        await first.GetByLabel("Reason for change").FillAsync("Face rescored");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(first.Locator("p.notice[role=status]")).ToContainTextAsync("Saved: version 2");

        await second.GetByLabel("Abdomen").FillAsync("0");
        await second.GetByLabel("Reason for change").FillAsync("Abdomen rescored");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var alert = second.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Your changes were not saved");
        await Expect(alert).ToContainTextAsync("no longer the version");
        await Expect(alert).ToContainTextAsync(new Regex(@"Face\s*3"));
        await Expect(second.GetByLabel("Abdomen")).ToHaveValueAsync("0");
        await Expect(second.GetByLabel("Reason for change")).ToHaveValueAsync("Abdomen rescored");
        var stored = await staff.Client.GetJsonAsync(staff.ApiMrss("D0"));
        Assert.Equal(3, stored.GetProperty("scores").GetProperty("face").GetInt32());
        Assert.Equal(1, stored.GetProperty("scores").GetProperty("abdomen").GetInt32());
        Assert.Equal(2, stored.GetProperty("version").GetInt32());
        await AxeCheck.AssertNoSeriousViolationsAsync(second);
    }

    [Fact]
    public async Task TwoPagesEnterTheSameNewMrss_TheLaterSaveIsStale_ShowsTheStoredValuesAndOverwritesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var first = await staff.SignedInPageAsync(web, staff.Mrss("D0"));
        var second = await staff.SignedInPageAsync(web, staff.Mrss("D0"));

        await FillAsync(first, "Dr First", 1);
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(first.Locator("p.notice[role=status]")).ToContainTextAsync("Saved: version 1, total 17");

        await FillAsync(second, "Dr Second", 2);
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var alert = second.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Your changes were not saved");
        await Expect(alert).ToContainTextAsync(new Regex(@"Assessor\s*Dr First"));
        await Expect(second.GetByLabel("Face", new() { Exact = true })).ToHaveValueAsync("2");
        await Expect(second.GetByLabel("Reason for change")).ToBeVisibleAsync();
        var stored = await staff.Client.GetJsonAsync(staff.ApiMrss("D0"));
        Assert.Equal("Dr First", stored.GetProperty("assessorName").GetString());
        Assert.Equal(1, stored.GetProperty("version").GetInt32());
    }

    [Fact]
    public async Task Coordinator_SavesANewMrssWithAnAreaLeftBlank_SeesTheErrorBesideItWithTheEntriesKept_AndNothingIsSaved()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, staff.Mrss("D0"));
        await FillAsync(page, "Dr Blank", 3);
        await page.GetByLabel("Left foot").FillAsync(string.Empty);

        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("MRSS at Baseline / Day 0 (D0)");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("Left foot");
        await Expect(page.Locator("#leftFoot-error")).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Face", new() { Exact = true })).ToHaveValueAsync("3");
        await Expect(page.GetByLabel("Assessor")).ToHaveValueAsync("Dr Blank");
        Assert.Equal(HttpStatusCode.NotFound, (await staff.Client.GetAsync(staff.ApiMrss("D0"))).StatusCode);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Coordinator_PostsTheMrssFormForAnotherSitesParticipant_SeesNotFound_AndNothingIsSaved()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1", "S2"]);
        var statistician = await web.Api.ClientForNewUserAsync(web.Admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var otherSite = await web.Api.ClientForNewUserAsync(web.Admin, Roles.Coordinator, trial.Sites["S2"]);
        var other = await DistinctiveTrial.ParticipantAsync(otherSite, trial.Id, trial.Sites["S2"], "limited");
        var otherMrss = $"/trials/{trial.Id}/participants/{other}/visits/D0/mrss";

        // The staff's own form, filled and sent to the other site's participant: the save decides, before the page reads anything.
        var page = await staff.SignedInPageAsync(web, staff.Mrss("D0"));
        await FillAsync(page, "Dr Elsewhere", 1);
        await page.Locator("form.mrss-form").EvaluateAsync("(form, action) => form.setAttribute('action', action)", otherMrss);
        var answer = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(404, answer.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Not found");
        Assert.Equal(HttpStatusCode.NotFound, (await otherSite.GetAsync($"/api{otherMrss}")).StatusCode);
    }

    private static async Task FillAsync(IPage page, string assessor, int score)
    {
        await page.GetByLabel("Assessor").FillAsync(assessor);
        foreach (var area in await page.Locator("[data-mrss-area]").AllAsync())
        {
            await area.FillAsync(score.ToString(System.Globalization.CultureInfo.InvariantCulture));
        }
    }

    private static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 15 && await FocusedIdAsync(page) != id; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(id, await FocusedIdAsync(page));
    }

    private static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''");
}

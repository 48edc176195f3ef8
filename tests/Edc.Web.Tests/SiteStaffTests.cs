using System.Globalization;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>A site coordinator's day from the trial home: register, enroll, randomize (blinded), record Day 0.</summary>
[Collection(WebCollection.Name)]
public sealed partial class SiteStaffTests(WebApp web)
{
    private static readonly string Folder = Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
        ? configured
        : Path.Combine(AppContext.BaseDirectory, "screenshots");

    // The contract's labels of the 17 areas.
    private static readonly string[] MrssLabels =
    [
        "Face", "Anterior chest", "Abdomen", "Right fingers", "Left fingers", "Right hand", "Left hand", "Right forearm", "Left forearm",
        "Right upper arm", "Left upper arm", "Right thigh", "Left thigh", "Right lower leg", "Left lower leg", "Right foot", "Left foot",
    ];

    [Fact]
    public async Task CoordinatorsDay_RegisterEnrollRandomizeDay0WithMrssAndInfusion_ThenAnSaeWithItsClock_NoArmAnywhere()
    {
        var trialId = await web.Admin.DemoTrialIdAsync();
        await EnsureRandomizationListAsync(trialId);
        var trial = await web.Admin.GetJsonAsync($"/api/trials/{trialId}");
        var arms = trial.GetProperty("arms").EnumerateArray().Select(a => (Code: a.GetProperty("code").GetString()!, Name: a.GetProperty("name").GetString()!)).ToList();
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        // The trial's home: the grid and the worklist, by their accessible names.
        await page.GotoAsync($"/trials/{trialId}");
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "Participants by visit" })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Visit worklist" })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // Register.
        await page.GetByRole(AriaRole.Link, new() { Name = "Register a participant" }).ClickAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        var screeningNumber = "WEB-" + Guid.NewGuid().ToString("N")[..8].ToUpperInvariant();
        await page.GetByLabel("Screening number").FillAsync(screeningNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Register" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Participant {screeningNumber}", Level = 1 })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // Enroll with the checklist: every inclusion criterion applies, no exclusion criterion does.
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();
        await Assertions.Expect(page.GetByLabel("Consent date")).ToBeVisibleAsync();
        foreach (var criterion in trial.GetProperty("eligibilityCriteria").EnumerateArray().Where(c => c.GetProperty("kind").GetString() == "Inclusion"))
        {
            await page.GetByLabel(criterion.GetProperty("text").GetString()!, new() { Exact = true }).CheckAsync();
        }

        await page.GetByLabel("Consent date").FillAsync(Today);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("enrollment.png"), FullPage = true });
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();
        await Assertions.Expect(page.GetByText("Enrolled", new() { Exact = true })).ToBeVisibleAsync();

        // Randomize, after saying what will happen.
        await page.GetByRole(AriaRole.Button, new() { Name = "Randomize" }).ClickAsync();
        await Assertions.Expect(page.GetByText("It cannot be undone.", new() { Exact = false })).ToBeVisibleAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Confirm randomization" }).ClickAsync();
        var notice = page.GetByRole(AriaRole.Status);
        await Assertions.Expect(notice).ToContainTextAsync("Randomization number");
        await Assertions.Expect(notice).ToContainTextAsync("kit number");
        var kitNumber = await page.GetByRole(AriaRole.Status).Locator("strong").Nth(1).InnerTextAsync();
        var html = await page.ContentAsync();
        Assert.All(arms, arm =>
        {
            Assert.DoesNotMatch(new Regex($@"\b{Regex.Escape(arm.Code)}\b"), html);
            Assert.DoesNotContain(arm.Name, html, StringComparison.OrdinalIgnoreCase);
        });
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("casebook.png"), FullPage = true });

        // Day 0 on its page.
        await page.GetByRole(AriaRole.Link, new() { Name = "D0 · Baseline / Day 0" }).ClickAsync();
        await page.GetByLabel("Completed", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Visit date").FillAsync(Today);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save visit" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The visit is saved.");
        Assert.DoesNotMatch(new Regex(string.Join('|', arms.Select(a => $@"\b{Regex.Escape(a.Code)}\b"))), await page.ContentAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("visit.png"), FullPage = true });

        // Day 0's MRSS, from the visit's page: the total follows the scores.
        var visitPage = page.Url;
        await page.GetByRole(AriaRole.Link, new() { Name = "MRSS", Exact = false }).First.ClickAsync();
        await page.GetByLabel("Assessor").FillAsync("Dr Day");
        foreach (var (area, i) in MrssLabels.Select((a, i) => (a, i)))
        {
            await page.GetByLabel(area, new() { Exact = true }).FillAsync(i < 4 ? "2" : "0");
        }

        await Assertions.Expect(page.GetByLabel("Total")).ToHaveTextAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice[role=status]")).ToContainTextAsync("total 8");

        // Its infusion, with the participant's own kit.
        await page.GotoAsync(visitPage);
        await page.GetByRole(AriaRole.Link, new() { Name = "Infusion", Exact = false }).First.ClickAsync();
        await page.GetByLabel("Administered at (UTC)").FillAsync(DateTime.UtcNow.AddMinutes(-30).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture));
        await page.GetByLabel("Kit number").FillAsync(kitNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("p.notice")).ToContainTextAsync($"given with kit {kitNumber}");

        // A serious adverse event, from the casebook: its page shows the sponsor's clock.
        await page.GotoAsync(Regex.Replace(visitPage, "/visits/D0.*$", string.Empty));
        await page.GetByRole(AriaRole.Link, new() { Name = "Report an adverse event" }).ClickAsync();
        await SafetyPageTests.FillSeriousEventAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Assertions.Expect(page.Locator("section.warning")).ToContainTextAsync("Report to the sponsor due");
        Assert.DoesNotMatch(new Regex(string.Join('|', arms.Select(a => $@"\b{Regex.Escape(a.Code)}\b"))), await page.ContentAsync());

        // The grid shows the visit done.
        await page.GotoAsync($"/trials/{trialId}");
        var row = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = screeningNumber, Exact = true }) });
        await Assertions.Expect(row.Locator("a[href$='/visits/D0']")).ToHaveTextAsync(new Regex(@"^\W*Completed$"));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Shot("trial-home.png"), FullPage = true });
    }

    [Fact]
    public async Task Coordinator_OpeningAnotherSitesParticipantByUrl_SeesNotFound()
    {
        var trialId = await web.Admin.DemoTrialIdAsync();
        var otherSite = await web.Admin.AddSiteAsync(trialId, "W" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());
        var otherCoordinator = await web.Api.ClientForNewUserAsync(web.Admin, Roles.Coordinator, otherSite);
        var participantId = await otherCoordinator.RegisterAsync(trialId, otherSite);
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        foreach (var path in new[] { "", "/enrollment", "/visits/D0" })
        {
            var response = await page.GotoAsync($"/trials/{trialId}/participants/{participantId}{path}");
            Assert.Equal(404, response!.Status);
            await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not found", Level = 1 })).ToBeVisibleAsync();
        }

        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Coordinator_AnsweringAnExclusionCriterion_SeesTheRuleAndTheParticipantScreenFailed()
    {
        var trialId = await web.Admin.DemoTrialIdAsync();
        var siteId = await web.Admin.DemoSiteIdAsync();
        var trial = await web.Admin.GetJsonAsync($"/api/trials/{trialId}");
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var coordinator = await web.Api.LoginAsync(email, TestData.UserPassword);
        var participantId = await coordinator.RegisterAsync(trialId, siteId);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        await page.GotoAsync($"/trials/{trialId}/participants/{participantId}/enrollment");
        var criteria = trial.GetProperty("eligibilityCriteria").EnumerateArray().ToList();
        foreach (var criterion in criteria.Where(c => c.GetProperty("kind").GetString() == "Inclusion"))
        {
            await page.GetByLabel(criterion.GetProperty("text").GetString()!, new() { Exact = true }).CheckAsync();
        }

        var exclusion = criteria.First(c => c.GetProperty("kind").GetString() == "Exclusion").GetProperty("text").GetString()!;
        await page.GetByLabel(exclusion, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Consent date").FillAsync(Today);
        await page.GetByRole(AriaRole.Button, new() { Name = "Enroll" }).ClickAsync();

        var alert = page.GetByRole(AriaRole.Alert);
        await Assertions.Expect(alert).ToContainTextAsync("screen failed");
        await Assertions.Expect(alert).ToContainTextAsync("Exclusion criterion applies: " + exclusion);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    private static string Shot(string name)
    {
        Directory.CreateDirectory(Folder);
        return Path.Combine(Folder, name);
    }

    private async Task EnsureRandomizationListAsync(Guid trialId)
    {
        var statistician = await web.Api.ClientForNewUserAsync(web.Admin, Roles.UnblindedStatistician);
        if ((await statistician.GetAsync($"/api/trials/{trialId}/randomization-list")).StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            await statistician.CreateListAsync(trialId);
        }
    }
}

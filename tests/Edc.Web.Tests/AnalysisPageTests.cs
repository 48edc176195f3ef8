using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// The primary analysis page and its report in Chromium, over a trial whose groups are known (<see cref="AnalysedTrial"/>):
/// by arm for the statistician, by masked group for the board, refused to site staff.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AnalysisPageTests(WebApp web)
{
    private const string Endpoint = "Change in MRSS total from Day 0 to Week 4";
    private const string Minus = "\u2212";

    [Fact]
    public async Task Statistician_SeesTheTableByArmAndThePlots_ChoosesHF7_AndOpensTheReport()
    {
        var trial = await AnalysedTrial.CreateAsync(web.Api, web.Admin);
        var page = await SignedInAsync(Roles.UnblindedStatistician);

        await page.GotoAsync($"/trials/{trial.Trial.Id}/analyses/primary");

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Primary analysis", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Navigation, new() { Name = "Your pages" }).GetByRole(AriaRole.Link, new() { Name = "Primary analysis" })).ToBeVisibleAsync();
        var table = page.GetByRole(AriaRole.Table, new() { Name = Endpoint });
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { NameRegex = Header(DistinctiveTrial.ActiveName) })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { NameRegex = Header(DistinctiveTrial.PlaceboName) })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "MRSS at baseline (Day 0), median (IQR)" })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "27 (24.5, 31)", Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = $"{Minus}9.5 ({Minus}10, {Minus}7.5)", Exact = true })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Between-group P for the change (Wilcoxon rank-sum)" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"{DistinctiveTrial.ActiveName}: MRSS at Day 0 and at Week 4, each participant" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = $"{DistinctiveTrial.PlaceboName}: MRSS at Day 0 and at Week 4, each participant" })).ToBeVisibleAsync();
        await Expect(page.GetByText("W4 not reached yet: 1")).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Quantile method").SelectOptionAsync("HF7");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("quantileMethod=HF7$"));
        await Expect(table.GetByRole(AriaRole.Cell, new() { Name = "27 (25.5, 29)", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByLabel("Quantile method")).ToHaveValueAsync("HF7");

        await page.GetByRole(AriaRole.Link, new() { Name = "Report for printing (HTML)" }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex($"/api/trials/{trial.Trial.Id}/analyses/primary/report\\?quantileMethod=HF7$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Endpoint, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Cell, new() { Name = "27 (25.5, 29)", Exact = true })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Board_SeesTheTableByMaskedGroup_AndNoArmOnThePageOrInTheReport()
    {
        var trial = await AnalysedTrial.CreateAsync(web.Api, web.Admin);
        var page = await SignedInAsync(Roles.DsmbMember);

        await page.GotoAsync($"/trials/{trial.Trial.Id}/analyses/primary");

        var table = page.GetByRole(AriaRole.Table, new() { Name = Endpoint });
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { NameRegex = Header("Group A") })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Columnheader, new() { NameRegex = Header("Group B") })).ToBeVisibleAsync();
        await Expect(table.GetByRole(AriaRole.Rowheader, new() { Name = "Events", Exact = true })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Group A: MRSS at Day 0 and at Week 4, each participant" })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        AssertNoArm(await page.ContentAsync());

        await page.GetByRole(AriaRole.Link, new() { Name = "Report for printing (HTML)" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = Endpoint, Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Columnheader, new() { NameRegex = Header("Group B") })).ToBeVisibleAsync();
        AssertNoArm(await page.ContentAsync());
    }

    [Fact]
    public async Task Coordinator_IsRefusedThePage_WithTheReasonAndA403()
    {
        var trial = await AnalysedTrial.CreateAsync(web.Api, web.Admin);
        var (_, email) = await web.Admin.CreateUserAsync([Roles.Coordinator], trial.Trial.Sites["AN"]);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        var response = await page.GotoAsync($"/trials/{trial.Trial.Id}/analyses/primary");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Not allowed", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("Only the unblinded statistician and the data safety board read the analysis")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Primary analysis" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Report_OpenedInChromiumUnderItsOwnPolicy_RendersItsPlots_WithNoConsoleError()
    {
        var trial = await AnalysedTrial.CreateAsync(web.Api, web.Admin);
        var page = await web.NewPageAsync();
        var errors = ConsoleErrors.Collect(page);
        var (_, email) = await web.CreateUserAsync(Roles.UnblindedStatistician);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        var response = await page.GotoAsync($"/api/trials/{trial.Trial.Id}/analyses/primary/report");
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);

        Assert.Equal(200, response!.Status);
        Assert.Contains("script-src 'none'", (await response.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        foreach (var plot in new[] { "#paired-plot-1", "#paired-plot-2" })
        {
            var svg = page.Locator(plot);
            await Expect(svg).ToBeVisibleAsync();
            var box = await svg.BoundingBoxAsync();
            Assert.True(box is { Width: > 200, Height: > 150 }, $"{plot} is drawn too small to read: {box?.Width}×{box?.Height}");
            await Expect(svg.Locator("g.pair")).ToHaveCountAsync(4);
        }

        // The stylesheet applied (the journal's rules above and below the table), with nothing refused by the policy.
        Assert.Equal("2px", await page.Locator("table.journal").EvaluateAsync<string>("t => getComputedStyle(t).borderTopWidth"));
        Assert.True(errors.Count == 0, "Console errors: " + string.Join("\n", errors));
    }

    [Fact]
    public async Task Screenshots_OfThePrimaryAnalysisPageAndItsReport()
    {
        var folder = Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var trial = await AnalysedTrial.CreateAsync(web.Api, web.Admin);
        var page = await SignedInAsync(Roles.UnblindedStatistician);

        await page.GotoAsync($"/trials/{trial.Trial.Id}/analyses/primary");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "primary-analysis.png"), FullPage = true });
        await page.GotoAsync($"/api/trials/{trial.Trial.Id}/analyses/primary/report");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "primary-analysis-report.png"), FullPage = true });

        Assert.True(new FileInfo(Path.Combine(folder, "primary-analysis-report.png")).Length > 0);
    }

    private async Task<IPage> SignedInAsync(string role)
    {
        var (_, email) = await web.CreateUserAsync(role);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        return page;
    }

    /// <summary>A group's column header: its name, and its size below it.</summary>
    private static Regex Header(string group) => new($"^{Regex.Escape(group)}\\s*n = 4$");

    private static void AssertNoArm(string html) =>
        Assert.All(DistinctiveTrial.ArmStrings, arm => Assert.DoesNotContain(arm, html, StringComparison.OrdinalIgnoreCase));
}

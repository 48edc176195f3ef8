using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>
/// The pages of the data safety board, the unblinded statistician, the pharmacist and the admin, and everyone's
/// notifications. Each test works on a trial of its own (DistinctiveTrial: arm codes and names found nowhere else), so
/// generating a list or locking a trial changes nothing another test sees.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class BoardPagesTests(WebApp web)
{
    [Fact]
    public async Task DsmbMember_GeneratesASafetySummaryAndOpensItsReport_WhichShowsNoArm()
    {
        var trial = await RandomizedTrialAsync(participants: 2);
        var armStrings = await ArmStringsAsync(trial.Id);
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        await page.GotoAsync($"/trials/{trial.Id}/safety-summaries");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Safety summaries", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByText("No summary yet.")).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Button, new() { Name = "Generate summary" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("generated="));
        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The new summary is ready");
        var reports = page.GetByRole(AriaRole.Link, new() { NameRegex = new Regex("^Report of ") });
        await Assertions.Expect(reports).ToHaveCountAsync(1);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        var listing = await page.ContentAsync();
        Assert.All(armStrings, arm => Assert.DoesNotContain(arm, listing, StringComparison.OrdinalIgnoreCase));

        await reports.First.ClickAsync();
        await page.WaitForURLAsync(new Regex("/safety-summaries/[0-9a-f-]+/report$"));
        var report = await page.ContentAsync();
        Assert.Contains(email, report, StringComparison.OrdinalIgnoreCase);
        Assert.All(armStrings, arm => Assert.DoesNotContain(arm, report, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task UnblindedStatistician_GeneratesTheRandomizationListAndViewsIt_AndTheViewIsAudited()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var (statisticianId, email) = await web.CreateUserAsync(Roles.UnblindedStatistician);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        await page.GotoAsync($"/trials/{trial.Id}/randomization-list");
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Randomization list", Level = 1 })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.GetByLabel("Seed").FillAsync("20261207");
        await page.GetByLabel("Block sizes").FillAsync("2, 4");
        await page.GetByLabel("Slots per stratum").FillAsync("8");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate list" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=generated"));

        await Assertions.Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("The list was generated.");
        // Whole blocks: at least the slots asked for in each of the two strata.
        var table = page.GetByRole(AriaRole.Table, new() { NameRegex = new Regex("^The list: \\d+ slots$") });
        await Assertions.Expect(table).ToBeVisibleAsync();
        var slots = await SlotCountAsync(page);
        Assert.InRange(slots, 16, 24);
        await Assertions.Expect(table.GetByText(DistinctiveTrial.ActiveCode).First).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // The showing after the generation was a read of the list, audited as the API audits its own.
        var reads = await ListReadsAsync(trial.Id, statisticianId);
        Assert.NotEmpty(reads);

        await page.GetByLabel("Stratum", new() { Exact = true }).SelectOptionAsync(new SelectOptionValue { Label = "extent=diffuse" });
        await page.GetByLabel("Slots to add").FillAsync("4");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend list" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=extended"));
        Assert.InRange(await SlotCountAsync(page), slots + 4, slots + 8);
        Assert.True((await ListReadsAsync(trial.Id, statisticianId)).Count > reads.Count);
    }

    [Fact]
    public async Task UnblindedStatistician_ImportsAListPastedAsCsv()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"], stratified: false);
        var (_, email) = await web.CreateUserAsync(Roles.UnblindedStatistician);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        await page.GotoAsync($"/trials/{trial.Id}/randomization-list");

        var csv = "stratum,sequence,randomizationNumber,kitNumber,armCode\n"
            + $",1,R-001,K-001,{DistinctiveTrial.ActiveCode}\n,2,R-002,K-002,{DistinctiveTrial.PlaceboCode}\n";
        await page.GetByLabel("CSV text").FillAsync(csv);
        await page.GetByRole(AriaRole.Button, new() { Name = "Import list" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("done=imported"));
        await Assertions.Expect(page.GetByRole(AriaRole.Table, new() { Name = "The list: 2 slots" })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task DsmbMember_CannotOpenTheRandomizationList()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        var response = await page.GotoAsync($"/trials/{trial.Id}/randomization-list");

        Assert.Equal(403, response!.Status);
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Randomization list" })).ToHaveCountAsync(0);
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Randomization list" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Admin_CreatesAUserWithARoleAndASite_AndLocksATrialWithReasonAndPassword()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);

        await page.GotoAsync("/admin");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.GetByRole(AriaRole.Link, new() { Name = "Users" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Users", Level = 1 })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        var email = $"new-coordinator-{Guid.NewGuid():N}@test.local";
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Display name").FillAsync("New Coordinator");
        await page.GetByLabel("Initial password").FillAsync(TestData.UserPassword);
        await page.GetByLabel("Coordinator", new() { Exact = true }).CheckAsync();
        await page.GetByLabel($"{trial.Code} · S1 Hospital S1").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Create user" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("created=1"));
        await Assertions.Expect(page.GetByRole(AriaRole.Cell, new() { Name = email })).ToBeVisibleAsync();

        var users = await web.Admin.GetJsonAsync("/api/users?pageSize=200");
        var created = users.GetProperty("items").EnumerateArray().Single(u => u.GetProperty("email").GetString() == email);
        Assert.Equal(["Coordinator"], created.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
        Assert.Equal([trial.Sites["S1"]], created.GetProperty("siteIds").EnumerateArray().Select(s => s.GetGuid()));

        await page.GotoAsync($"/admin/trials/{trial.Id}");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.GetByLabel("Reason").FillAsync("Last participant's last visit done; data cleaned");
        await page.GetByLabel("Password").FillAsync("Not-The-Admin-Password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock trial" }).ClickAsync();
        await Assertions.Expect(page.GetByText("The password is not correct.").First).ToBeVisibleAsync();
        Assert.Equal("Active", (await web.Admin.GetJsonAsync($"/api/trials/{trial.Id}")).GetProperty("status").GetString());
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Password").FillAsync(EdcApiFactory.AdminPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lock trial" }).ClickAsync();
        await Assertions.Expect(page.GetByText("locked ", new() { Exact = false }).First).ToBeVisibleAsync();
        Assert.Equal("Locked", (await web.Admin.GetJsonAsync($"/api/trials/{trial.Id}")).GetProperty("status").GetString());
        var audit = await web.Admin.GetJsonAsync($"/api/trials/{trial.Id}/audit?pageSize=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetProperty("reason").GetString() == "Last participant's last visit done; data cleaned");
    }

    [Fact]
    public async Task Pharmacist_SeesTheArmsOfOwnSiteOnTheDispensingPage_AndACoordinatorCannotOpenIt()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1", "S2"]);
        var statistician = await web.Api.ClientForNewUserAsync(web.Admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinator1 = await web.Api.ClientForNewUserAsync(web.Admin, Roles.Coordinator, trial.Sites["S1"]);
        var coordinator2 = await web.Api.ClientForNewUserAsync(web.Admin, Roles.Coordinator, trial.Sites["S2"]);
        var own = await DistinctiveTrial.ParticipantAsync(coordinator1, trial.Id, trial.Sites["S1"], "limited");
        var other = await DistinctiveTrial.ParticipantAsync(coordinator2, trial.Id, trial.Sites["S2"], "limited");
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(statistician, trial.Id);
        var ownScreening = (await coordinator1.GetJsonAsync($"/api/trials/{trial.Id}/participants/{own}")).GetProperty("screeningNumber").GetString()!;
        var otherScreening = (await coordinator2.GetJsonAsync($"/api/trials/{trial.Id}/participants/{other}")).GetProperty("screeningNumber").GetString()!;
        var (_, pharmacistEmail) = await web.Admin.CreateUserAsync([Roles.Pharmacist], trial.Sites["S1"]);

        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, pharmacistEmail, TestData.UserPassword);
        await page.GotoAsync($"/trials/{trial.Id}/dispensing");
        var table = page.GetByRole(AriaRole.Table, new() { Name = "Arms to dispense, by participant" });
        var row = table.GetByRole(AriaRole.Row).Filter(new() { HasText = ownScreening });
        await Assertions.Expect(row).ToContainTextAsync($"({armOf[own]})");
        await Assertions.Expect(table).Not.ToContainTextAsync(otherScreening);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        var (_, coordinatorEmail) = await web.Admin.CreateUserAsync([Roles.Coordinator], trial.Sites["S1"]);
        var coordinatorPage = await web.NewPageAsync();
        await WebApp.SignInAsync(coordinatorPage, coordinatorEmail, TestData.UserPassword);
        var denied = await coordinatorPage.GotoAsync($"/trials/{trial.Id}/dispensing");
        Assert.Equal(403, denied!.Status);
        Assert.DoesNotContain(armOf[own], await coordinatorPage.ContentAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task DsmbMember_SeesTheSummaryReadyNotification()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var member = await web.Api.LoginAsync(email, TestData.UserPassword);
        var generated = await member.PostAsJsonAsync($"/api/trials/{trial.Id}/safety-summaries", new { });
        Assert.True(generated.IsSuccessStatusCode, await generated.Content.ReadAsStringAsync());

        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Your pages" }).GetByRole(AriaRole.Link, new() { Name = "Notifications" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Notifications", Level = 1 })).ToBeVisibleAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = $"Safety summary ready: {trial.Code}" })).ToBeVisibleAsync();
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task DsmbMember_RequestsUnblinding_AndTheStatisticianApprovesIt()
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var (_, memberEmail) = await web.CreateUserAsync(Roles.DsmbMember);
        var member = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(member, memberEmail, TestData.UserPassword);
        await member.GotoAsync($"/trials/{trial.Id}/unblinding-requests");
        await AxeCheck.AssertNoSeriousViolationsAsync(member);
        await member.GetByLabel("Justification").FillAsync("An imbalance of serious infections between the groups");
        await member.GetByRole(AriaRole.Button, new() { Name = "Request unblinding" }).ClickAsync();
        await Assertions.Expect(member.GetByText("Pending · asked")).ToBeVisibleAsync();

        var (_, statisticianEmail) = await web.CreateUserAsync(Roles.UnblindedStatistician);
        var statistician = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(statistician, statisticianEmail, TestData.UserPassword);
        await statistician.GotoAsync($"/trials/{trial.Id}/unblinding-requests");
        await AxeCheck.AssertNoSeriousViolationsAsync(statistician);
        await statistician.GetByLabel("Comment").FillAsync("Approved for the closed session");
        await statistician.GetByRole(AriaRole.Button, new() { Name = "Approve" }).ClickAsync();
        await Assertions.Expect(statistician.GetByText("Approved · asked")).ToBeVisibleAsync();
        await Assertions.Expect(statistician.GetByText("Approved for the closed session", new() { Exact = false })).ToBeVisibleAsync();
    }

    [Fact]
    public async Task Screenshots_OfTheBoardStatisticianAndAdminPages()
    {
        var folder = Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var trial = await RandomizedTrialAsync(participants: 2);

        var (_, dsmb) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, dsmb, TestData.UserPassword);
        await page.GotoAsync($"/trials/{trial.Id}/safety-summaries");
        await page.GetByRole(AriaRole.Button, new() { Name = "Generate summary" }).ClickAsync();
        await page.WaitForURLAsync(new Regex("generated="));
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "safety-summaries.png"), FullPage = true });

        var (_, statistician) = await web.CreateUserAsync(Roles.UnblindedStatistician);
        page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, statistician, TestData.UserPassword);
        await page.GotoAsync($"/trials/{trial.Id}/randomization-list");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "randomization-list.png"), FullPage = false });

        page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);
        await page.GotoAsync("/admin/users");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(folder, "admin.png"), FullPage = false });

        Assert.True(new FileInfo(Path.Combine(folder, "admin.png")).Length > 0);
    }

    private static async Task<int> SlotCountAsync(IPage page)
    {
        var caption = await page.Locator("table.data caption").InnerTextAsync();
        return int.Parse(Regex.Match(caption, "\\d+").Value, System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>A trial of its own with its list and randomized participants at its site S1.</summary>
    private async Task<DistinctiveTrial.Created> RandomizedTrialAsync(int participants)
    {
        var trial = await DistinctiveTrial.CreateAsync(web.Admin, ["S1"]);
        var statistician = await web.Api.ClientForNewUserAsync(web.Admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinator = await web.Api.ClientForNewUserAsync(web.Admin, Roles.Coordinator, trial.Sites["S1"]);
        for (var i = 0; i < participants; i++)
        {
            await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, trial.Sites["S1"], i % 2 == 0 ? "limited" : "diffuse");
        }

        return trial;
    }

    /// <summary>The trial's arm codes and names, from its definition as the API gives it.</summary>
    private async Task<List<string>> ArmStringsAsync(Guid trialId)
    {
        var arms = (await web.Admin.GetJsonAsync($"/api/trials/{trialId}")).GetProperty("arms").EnumerateArray().ToList();
        var strings = arms.SelectMany(a => new[] { a.GetProperty("code").GetString()!, a.GetProperty("name").GetString()! }).ToList();
        Assert.Equal(4, strings.Count);
        return strings;
    }

    private async Task<List<JsonElement>> ListReadsAsync(Guid trialId, Guid userId)
    {
        var audit = await web.Admin.GetJsonAsync($"/api/trials/{trialId}/audit?entityType=RandomizationList&userId={userId}&pageSize=200");
        return [.. audit.GetProperty("items").EnumerateArray().Where(e => e.GetProperty("action").GetString() == "Read")];
    }
}

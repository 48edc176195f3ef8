using System.Globalization;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>Infusion, adverse events with their reporting clock, the expedited-report worklist and emergency unblinding, in Chromium.</summary>
[Collection(WebCollection.Name)]
public sealed class SafetyPageTests(WebApp web)
{
    private static string Iso(DateOnly date) => date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Coordinator_RecordsAnInfusionWithTheWrongKit_SeesTheRuleNamingNoArm_ThenSavesWithTheOwnKit()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, $"{staff.ParticipantPage}/visits/D0/infusion");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        var at = DateTime.UtcNow.AddHours(-1).ToString("yyyy-MM-dd'T'HH:mm", CultureInfo.InvariantCulture);
        await page.GetByLabel("Administered at (UTC)").FillAsync(at);
        await page.GetByLabel("Kit number").FillAsync("K-NOT-THEIRS");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("This kit is not the one allocated to this participant.");
        await Expect(page.Locator("#kit-number-error")).ToContainTextAsync("not the one allocated");
        await Expect(page.GetByLabel("Kit number")).ToHaveValueAsync("K-NOT-THEIRS");
        Assert.DoesNotMatch(new Regex("placebo|active|arm", RegexOptions.IgnoreCase), await page.Locator("main").InnerTextAsync());
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Kit number").FillAsync(staff.Participant.KitNumber);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("p.notice")).ToContainTextAsync($"given with kit {staff.Participant.KitNumber}");
    }

    [Fact]
    public async Task Coordinator_ReportsASeriousEventThroughTheForm_TheEventPageShowsTheSponsorDeadlineAndTimeLeft()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, $"{staff.ParticipantPage}/adverse-events/new");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await FillSeriousEventAsync(page);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex($"/trials/{staff.Participant.TrialId}/adverse-events/[0-9a-f-]+\\?saved=true$"));
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Adverse event: Pneumonia");
        var clock = page.Locator("section.warning");
        await Expect(clock).ToContainTextAsync("Report to the sponsor due");
        await Expect(clock).ToContainTextAsync(new Regex(@"due, 2[34] hours \d+ minutes left"));

        // Possibly related and unexpected: a SUSAR, with the regulators' deadline too.
        await Expect(clock).ToContainTextAsync("SUSAR");
        await Expect(clock).ToContainTextAsync("Report to the regulators due");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // The worklist lists its report, due; the admin records it as sent and it leaves the list.
        var admin = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(admin, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword, $"/trials/{staff.Participant.TrialId}/expedited-reports");
        var row = admin.GetByRole(AriaRole.Row).Filter(new() { HasText = "Pneumonia" }).Filter(new() { HasText = "Sponsor" })
            .Filter(new() { HasText = await ScreeningNumberAsync(staff) });
        await Expect(row).ToContainTextAsync("Due:");
        await AxeCheck.AssertNoSeriousViolationsAsync(admin);
        await row.GetByRole(AriaRole.Button, new() { Name = "Record as sent" }).ClickAsync();
        await Expect(admin.Locator("p.notice")).ToContainTextAsync("recorded as sent");
        await Expect(row).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task AnEndDateBeforeTheOnset_IsShownBesideTheFieldAndInTheSummary_AndNothingIsSaved()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await staff.SignedInPageAsync(web, $"{staff.ParticipantPage}/adverse-events/new");

        await page.GetByLabel("Term").FillAsync("Headache");
        await page.GetByLabel("Onset date").FillAsync(Iso(SiteStaff.Today));
        await page.GetByLabel("End date").FillAsync(Iso(SiteStaff.Today.AddDays(-2)));
        await page.GetByLabel("Grade").SelectOptionAsync("1");
        await page.GetByLabel("Relatedness to the study drug").SelectOptionAsync("NotRelated");
        await page.GetByLabel("Action taken with the study drug").SelectOptionAsync("DoseNotChanged");
        await page.GetByLabel("Outcome").SelectOptionAsync("Recovered");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        const string Message = "The end date cannot be before the onset date.";
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(Message);
        await Expect(page.Locator("#endDate-error")).ToHaveTextAsync(new Regex(Regex.Escape(Message)));
        await Expect(page.GetByLabel("End date")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(page.GetByLabel("Term")).ToHaveValueAsync("Headache");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        var events = await staff.Client.GetJsonAsync($"/api/trials/{staff.Participant.TrialId}/adverse-events?participantId={staff.Participant.ParticipantId}");
        Assert.Equal(0, events.GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task Investigator_BreaksTheBlindInAnEmergency_SeesTheArmOnceWithItsWarning_AndNotOnReload()
    {
        var staff = await SiteStaff.CreateAsync(web, Roles.Investigator);
        var path = $"{staff.ParticipantPage}/unblinding";
        var page = await staff.SignedInPageAsync(web, path);
        await Expect(page.Locator("section.warning")).ToContainTextAsync("Only for a medical emergency");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // A wrong password breaks nothing.
        await page.GetByLabel("Reason").FillAsync("Anaphylaxis in the emergency room; treatment depends on the arm");
        await page.GetByLabel("Password").FillAsync("Not-My-Password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Unblind" }).ClickAsync();
        await Expect(page.Locator("#password-error")).ToContainTextAsync("The password is not correct.");
        await Expect(page.GetByText("Treatment arm:")).ToHaveCountAsync(0);

        await page.GetByLabel("Password").FillAsync(TestData.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Unblind" }).ClickAsync();

        var revealed = page.GetByRole(AriaRole.Alert);
        await Expect(revealed).ToContainTextAsync("Treatment arm:");
        await Expect(revealed).ToContainTextAsync("Do not share the arm with the blinded study team");
        await Expect(revealed).ToContainTextAsync("now recorded");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GotoAsync(path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Emergency unblinding");
        await Expect(page.GetByText("Treatment arm:")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Coordinator_CannotOpenTheEmergencyUnblindingPage()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, staff.Email, TestData.UserPassword);

        var response = await page.GotoAsync($"{staff.ParticipantPage}/unblinding");

        Assert.Equal(403, response!.Status);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Unblind" })).ToHaveCountAsync(0);
        await Expect(page.GetByLabel("Reason")).ToHaveCountAsync(0);
    }

    internal static async Task FillSeriousEventAsync(IPage page)
    {
        await page.GetByLabel("Term").FillAsync("Pneumonia");
        await page.GetByLabel("Onset date").FillAsync(Iso(SiteStaff.Today));
        await page.GetByLabel("Ongoing").CheckAsync();
        await page.GetByLabel("Grade").SelectOptionAsync("3");
        await page.GetByLabel("Serious", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Hospitalization").CheckAsync();
        await page.GetByLabel("Relatedness to the study drug").SelectOptionAsync("Possible");
        await page.GetByLabel("Expected").SelectOptionAsync("no");
        await page.GetByLabel("Action taken with the study drug").SelectOptionAsync("DrugInterrupted");
        await page.GetByLabel("Outcome").SelectOptionAsync("Recovering");
    }

    private static async Task<string> ScreeningNumberAsync(SiteStaff staff) =>
        (await staff.Client.GetJsonAsync(staff.Participant.Path)).GetProperty("screeningNumber").GetString()!;
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// A form drawn from its definition (the demonstration trial's DM and VS): labels, units, choices, the items asked and the
/// calculated values live as the server evaluates them, hard ranges refused beside the field, soft ranges saved with a
/// warning, and edits with their reason and version.
/// </summary>
[Collection(WebCollection.Name)]
public sealed partial class FormPageTests(WebApp web)
{
    private static readonly JsonSerializerOptions AsWritten = new();

    public static string Form(SiteStaff staff, string visitCode, string formCode) => $"{staff.ParticipantPage}/visits/{visitCode}/forms/{formCode}";

    public static string ApiForm(SiteStaff staff, string visitCode, string formCode) => $"{staff.Participant.Path}/visits/{visitCode}/forms/{formCode}";

    [Fact]
    public async Task Coordinator_FillsAWomansVitalSigns_PregnancyTestAndDoseLive_HardRangeRefused_SoftRangeSavedWithAWarning()
    {
        var staff = await SiteStaff.CreateAsync(web);

        // Vital signs opened before the demographics are entered: the participant's sex is unknown, the test not asked.
        var vitals = await staff.SignedInPageAsync(web, Form(staff, "D0", "VS"));
        await Expect(vitals.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vital signs at Baseline / Day 0 (D0)");
        var pregnancy = vitals.GetByRole(AriaRole.Group, new() { Name = "Pregnancy test" });
        await Expect(pregnancy).ToBeHiddenAsync();
        await Expect(vitals.Locator("#item-WEIGHT-units")).ToHaveTextAsync("kg");

        // The demographics, on their own page in another tab: a woman.
        var demographics = await vitals.Context.NewPageAsync();
        await demographics.GotoAsync(Form(staff, "SCR", "DM"));
        await FillDemographicsAsync(demographics, "Female");
        await demographics.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(demographics.Locator(".notice[role=status]")).ToContainTextAsync("Saved: the Demographics form is complete (version 1).");

        // Typing the weight asks the server again: the dose follows it and the pregnancy test is now asked, live.
        await vitals.GetByLabel("Weight").FillAsync("70");
        await Expect(vitals.GetByLabel("Dose at 10 mg/kg")).ToHaveTextAsync("700");
        await Expect(pregnancy).ToBeVisibleAsync();
        await vitals.GetByLabel("Weight").FillAsync("72.4");
        await Expect(vitals.GetByLabel("Dose at 10 mg/kg")).ToHaveTextAsync("724");

        // A weight outside the hard range is refused: beside the field and in the summary, the entries kept, nothing saved.
        await vitals.GetByLabel("Weight").FillAsync("300");
        await FillVitalsAsync(vitals);
        await pregnancy.GetByLabel("Negative").CheckAsync();
        await vitals.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(vitals.GetByRole(AriaRole.Alert)).ToContainTextAsync("Weight must be 25 to 250 kg.");
        await Expect(vitals.Locator("#item-WEIGHT-error")).ToHaveTextAsync("Weight must be 25 to 250 kg.");
        await Expect(vitals.GetByLabel("Weight")).ToHaveAttributeAsync("aria-invalid", "true");
        await Expect(vitals.GetByLabel("Heart rate")).ToHaveValueAsync("72");
        await Expect(pregnancy.GetByLabel("Negative")).ToBeCheckedAsync();
        Assert.Equal("NotStarted", (await staff.Client.GetJsonAsync(ApiForm(staff, "D0", "VS"))).GetProperty("status").GetString());
        await AxeCheck.AssertNoSeriousViolationsAsync(vitals);

        // A weight outside the soft range only is saved, with a warning to check it.
        await vitals.GetByLabel("Weight").FillAsync("160");
        await vitals.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        var notice = vitals.Locator(".notice[role=status]");
        await Expect(notice).ToContainTextAsync("Saved: the Vital signs form is complete (version 1).");
        await Expect(notice).ToContainTextAsync("Weight is 160 kg, outside the expected 40 to 150 kg: please check it.");
        await Expect(vitals.Locator("#item-WEIGHT-warning")).ToContainTextAsync("outside the expected 40 to 150 kg");
        await Expect(vitals.GetByLabel("Dose at 10 mg/kg")).ToHaveTextAsync("1600");
        var stored = await staff.Client.GetJsonAsync(ApiForm(staff, "D0", "VS"));
        Assert.Equal(160m, stored.GetProperty("values").GetProperty("WEIGHT").GetDecimal());
        Assert.Equal("NEG", stored.GetProperty("values").GetProperty("PREG").GetString());
        Assert.Equal(1600m, stored.GetProperty("values").GetProperty("DOSE").GetDecimal());
        await ShotAsync(vitals, "visit-form.png");

        // An edit asks for its reason: refused without one, saved as the next version with one.
        await vitals.GetByLabel("Heart rate").FillAsync("80");
        await vitals.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(vitals.GetByRole(AriaRole.Alert)).ToContainTextAsync("a change needs a reason");
        await Expect(vitals.Locator("#reason-error")).ToBeVisibleAsync();
        await Expect(vitals.GetByLabel("Heart rate")).ToHaveValueAsync("80");
        await vitals.GetByLabel("Reason for change").FillAsync("Pulse taken again after rest");
        await vitals.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(vitals.Locator(".notice[role=status]")).ToContainTextAsync("(version 2)");
        Assert.Equal(80m, (await staff.Client.GetJsonAsync(ApiForm(staff, "D0", "VS"))).GetProperty("values").GetProperty("PULSE").GetDecimal());
        await AxeCheck.AssertNoSeriousViolationsAsync(vitals);

        // The board reads the same form: its values in words, no form to change them.
        var (_, boardEmail) = await web.CreateUserAsync(Roles.DsmbMember);
        var board = await web.NewPageAsync();
        await WebApp.SignInAsync(board, boardEmail, TestData.UserPassword, Form(staff, "D0", "VS"));
        await Expect(board.Locator("dl.details")).ToContainTextAsync("160 kg");
        await Expect(board.Locator("dl.details")).ToContainTextAsync("Negative");
        await Expect(board.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Coordinator_EntersVitalSignsWithTheKeyboardAlone_AndTheyAreSaved()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await SaveDemographicsAsync(staff, "F");
        var page = await staff.SignedInPageAsync(web, Form(staff, "W2", "VS"));

        // From the top of the page, Tab alone reaches each field; the pregnancy test is a radio group chosen with the keys.
        await TabToAsync(page, "item-WEIGHT");
        await page.Keyboard.TypeAsync("68.5");
        // Each field is followed by the link to its queries, one Tab further.
        foreach (var (id, value) in new[] { ("item-SYSBP", "118"), ("item-DIABP", "76"), ("item-PULSE", "64"), ("item-TEMP", "36.6") })
        {
            await page.Keyboard.PressAsync("Tab");
            await page.Keyboard.PressAsync("Tab");
            Assert.Equal(id, await FocusedIdAsync(page));
            await page.Keyboard.TypeAsync(value);
        }

        await Expect(page.GetByLabel("Dose at 10 mg/kg")).ToHaveTextAsync("685");
        await page.Keyboard.PressAsync("Tab"); // the temperature's queries
        await page.Keyboard.PressAsync("Tab"); // the dose's queries (the calculated dose takes no focus)
        await page.Keyboard.PressAsync("Tab");
        Assert.Equal("item-PREG", await FocusedIdAsync(page));
        await page.Keyboard.PressAsync("ArrowDown");
        await Expect(page.GetByRole(AriaRole.Group, new() { Name = "Pregnancy test" }).GetByLabel("Positive")).ToBeCheckedAsync();
        await page.Keyboard.PressAsync("ArrowUp");
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator(".notice[role=status]")).ToContainTextAsync("Saved: the Vital signs form is complete (version 1).");
        var stored = (await staff.Client.GetJsonAsync(ApiForm(staff, "W2", "VS"))).GetProperty("values");
        Assert.Equal(68.5m, stored.GetProperty("WEIGHT").GetDecimal());
        Assert.Equal(36.6m, stored.GetProperty("TEMP").GetDecimal());
        Assert.Equal("NEG", stored.GetProperty("PREG").GetString());
    }

    [Fact]
    public async Task TwoPagesEditTheSameForm_TheLaterSaveIsStale_ShowsTheStoredValuesAndOverwritesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await SaveDemographicsAsync(staff, "M");
        var saved = await staff.Client.PutAsJsonAsync(ApiForm(staff, "SCR", "PFT"), new { values = new { FVC = 80.5m, DLCO = 61m } }, AsWritten);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var first = await staff.SignedInPageAsync(web, Form(staff, "SCR", "PFT"));
        var second = await staff.SignedInPageAsync(web, Form(staff, "SCR", "PFT"));

        await first.GetByLabel("FVC").FillAsync("82");
        await first.GetByLabel("Reason for change").FillAsync("Best of three blows");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(first.Locator(".notice[role=status]")).ToContainTextAsync("(version 2)");

        await second.GetByLabel("DLCO").FillAsync("58");
        await second.GetByLabel("Reason for change").FillAsync("Corrected for haemoglobin");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var alert = second.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Your changes were not saved");
        await Expect(alert).ToContainTextAsync(new Regex(@"FVC\s*82 % predicted"));
        await Expect(second.GetByLabel("DLCO")).ToHaveValueAsync("58");
        await Expect(second.GetByLabel("Reason for change")).ToHaveValueAsync("Corrected for haemoglobin");
        var stored = await staff.Client.GetJsonAsync(ApiForm(staff, "SCR", "PFT"));
        Assert.Equal(61m, stored.GetProperty("values").GetProperty("DLCO").GetDecimal());
        Assert.Equal(2, stored.GetProperty("version").GetInt32());

        // Saved again from what is now stored, the change goes through.
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(second.Locator(".notice[role=status]")).ToContainTextAsync("(version 3)");
        Assert.Equal(58m, (await staff.Client.GetJsonAsync(ApiForm(staff, "SCR", "PFT"))).GetProperty("values").GetProperty("DLCO").GetDecimal());
    }

    [Fact]
    public async Task TheCasebookAndTheVisit_ListEachVisitsFormsWithTheirStatus_AndTheGridTheirProgress()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await SaveDemographicsAsync(staff, "F");
        var saved = await staff.Client.PutAsJsonAsync(ApiForm(staff, "D0", "VS"), new { values = new { WEIGHT = 70 } }, AsWritten);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var page = await staff.SignedInPageAsync(web, staff.ParticipantPage);

        var screening = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "SCR · Screening" }) });
        await Expect(screening).ToContainTextAsync("Demographics (Complete)");
        await Expect(screening).ToContainTextAsync("Pulmonary function (Not started)");
        var day0 = page.GetByRole(AriaRole.Row).Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = "D0 · Baseline / Day 0" }) });
        await Expect(day0).ToContainTextAsync("Vital signs (In progress)");
        Assert.DoesNotContain("AeReview", await page.ContentAsync(), StringComparison.Ordinal);
        await Expect(day0.GetByRole(AriaRole.Link, new() { Name = "MRSS", Exact = false })).ToHaveAttributeAsync("href", new Regex("/visits/D0/mrss$"));
        await day0.GetByRole(AriaRole.Link, new() { Name = "Vital signs" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Vital signs at Baseline / Day 0 (D0)");
        await Expect(page.GetByLabel("Weight")).ToHaveValueAsync("70");

        // The visit lists its forms alike; the trial's home counts them in the grid's cell.
        await page.GotoAsync($"{staff.ParticipantPage}/visits/D0");
        await Expect(page.Locator("ul.form-list")).ToContainTextAsync("Vital signs (In progress)");
        await page.GotoAsync($"/trials/{staff.Participant.TrialId}");
        var row = page.GetByRole(AriaRole.Table, new() { Name = "Participants by visit" }).GetByRole(AriaRole.Row)
            .Filter(new() { Has = page.GetByRole(AriaRole.Link, new() { Name = await ScreeningNumberAsync(staff), Exact = true }) });
        await Expect(row.GetByRole(AriaRole.Cell).Nth(1)).ToContainTextAsync("1/3 forms complete"); // SCR: MRSS, DM, PFT
        await Expect(row.GetByRole(AriaRole.Cell).Nth(2)).ToContainTextAsync("0/4 forms complete"); // D0: vital signs begun
    }

    internal static async Task SaveDemographicsAsync(SiteStaff staff, string sex)
    {
        var saved = await staff.Client.PutAsJsonAsync(ApiForm(staff, "SCR", "DM"), new
        {
            values = new Dictionary<string, object>
            {
                ["SEX"] = sex,
                ["BIRTHYEAR"] = 1971,
                ["ETHNIC"] = "NOTHISPANIC",
                ["RACE"] = "WHITE",
                ["FIRSTSYMPTOM"] = "2025-04-02",
                ["RNAPOL3"] = "POS",
                ["SCL70"] = "NEG",
                ["ACA"] = "NEG",
            },
        }, AsWritten);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
    }

    internal static async Task ShotAsync(IPage page, string name)
    {
        var folder = Environment.GetEnvironmentVariable("EDC_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, name);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = path, FullPage = true });
        Assert.True(new FileInfo(path).Length > 0);
    }

    internal static async Task TabToAsync(IPage page, string id)
    {
        for (var i = 0; i < 30 && await FocusedIdAsync(page) != id; i++)
        {
            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Equal(id, await FocusedIdAsync(page));
    }

    internal static Task<string> FocusedIdAsync(IPage page) => page.EvaluateAsync<string>("() => document.activeElement ? document.activeElement.id : ''");

    private static async Task<string> ScreeningNumberAsync(SiteStaff staff) =>
        (await staff.Client.GetJsonAsync(staff.Participant.Path)).GetProperty("screeningNumber").GetString()!;

    private static async Task FillDemographicsAsync(IPage page, string sex)
    {
        await page.GetByLabel(sex, new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Year of birth").FillAsync("1968");
        await page.GetByLabel("Not Hispanic or Latino").CheckAsync();
        await page.GetByLabel("Race").SelectOptionAsync(new SelectOptionValue { Label = "Asian" });
        await page.GetByLabel("Date of the first non-Raynaud symptom").FillAsync("2025-02-14");
        foreach (var (antibodies, answer) in new[] { ("Anti-RNA polymerase III antibodies", "Positive"), ("Anti-Scl-70 antibodies", "Negative"), ("Anti-centromere antibodies", "Not done") })
        {
            await page.GetByRole(AriaRole.Group, new() { Name = antibodies }).GetByLabel(answer).CheckAsync();
        }
    }

    private static async Task FillVitalsAsync(IPage page)
    {
        await page.GetByLabel("Systolic blood pressure").FillAsync("124");
        await page.GetByLabel("Diastolic blood pressure").FillAsync("78");
        await page.GetByLabel("Heart rate").FillAsync("72");
        await page.GetByLabel("Temperature").FillAsync("36.8");
    }
}

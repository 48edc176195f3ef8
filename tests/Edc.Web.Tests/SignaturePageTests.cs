using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// The investigator's signing page (21 CFR Part 11): what is signed, the meaning, the attestation and the password entered
/// again; the signature then shows on the casebook and the visit's pages, and a later change to the data invalidates it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class SignaturePageTests(WebApp web)
{
    [Fact]
    public async Task Investigator_SignsAVisit_AfterAWrongPassword_SeesItOnTheCasebook_ThenACoordinatorsEditInvalidatesIt()
    {
        var coordinator = await SiteStaff.CreateAsync(web);
        var visitCode = await MrssVisitAsync(coordinator);
        var (_, investigatorEmail) = await web.CreateUserAsync(Roles.Investigator);
        var signing = $"{coordinator.ParticipantPage}/signatures/new?scope=Visit&visitCode={visitCode}";
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, investigatorEmail, TestData.UserPassword, signing);
        Assert.Equal(signing, new Uri(page.Url).PathAndQuery);

        // What is signed, the meaning, the attestation in the signer's printed name, and the password again.
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToContainTextAsync($"Sign visit {visitCode}");
        await Expect(page.Locator(".signed-form")).ToContainTextAsync("anteriorChest");
        await Expect(page.Locator("#attestation")).ToContainTextAsync(
            "I, Test Investigator, sign visit " + visitCode);
        await Expect(page.Locator("#attestation")).ToContainTextAsync(
            "This electronic signature is the legally binding equivalent of my handwritten signature.");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
        await page.GetByLabel("Meaning").SelectOptionAsync("Approval");

        await page.GetByLabel("Password").FillAsync("not-my-password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The password is not correct");
        await Expect(page.Locator("#password-error")).ToBeVisibleAsync();
        Assert.Equal(signing, new Uri(page.Url).PathAndQuery);

        await page.GetByLabel("Meaning").SelectOptionAsync("Approval");
        await page.GetByLabel("Password").FillAsync(TestData.UserPassword);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign", Exact = true }).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Uri(web.BaseAddress, $"{coordinator.ParticipantPage}?signed=true").ToString());
        var signatures = page.Locator("section[aria-labelledby=signatures-heading]");
        await Expect(signatures).ToContainTextAsync($"Approval of visit {visitCode}, signed by Test Investigator at");
        await Expect(signatures).ToContainTextAsync("UTC");
        await Expect(signatures).ToContainTextAsync("Valid.");
        await page.GotoAsync($"{coordinator.ParticipantPage}/visits/{visitCode}");
        await Expect(page.Locator("section[aria-labelledby=signatures-heading]")).ToContainTextAsync("signed by Test Investigator");

        // The coordinator corrects the MRSS on its page: the signature no longer holds, and says who, when and why.
        var edit = await coordinator.SignedInPageAsync(web, coordinator.Mrss(visitCode));
        await Expect(edit.Locator("section[aria-labelledby=signatures-heading]")).ToContainTextAsync("Valid.");
        await edit.GetByLabel("Face", new() { Exact = true }).FillAsync("3");
        await edit.GetByLabel("Reason for change").FillAsync("Face score misread");
        await edit.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(edit.Locator("p.notice[role=status]")).ToContainTextAsync("Saved: version 2");

        await page.GotoAsync(coordinator.ParticipantPage);
        var invalidated = page.Locator("section[aria-labelledby=signatures-heading]");
        await Expect(invalidated).ToContainTextAsync("Invalidated at");
        await Expect(invalidated).ToContainTextAsync("by Test Coordinator: Face score misread");
        await Expect(invalidated).Not.ToContainTextAsync("Valid.");
    }

    /// <summary>An unscheduled visit whose one form is the MRSS, recorded over the API by the coordinator: its code.</summary>
    private static async Task<string> MrssVisitAsync(SiteStaff staff)
    {
        var added = await staff.Client.PostAsJsonAsync(
            $"{staff.Participant.Path}/visits", new { name = "Flare", actualDate = SiteStaff.Today, procedures = new[] { "Mrss" } });
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        var code = (await added.JsonAsync()).GetProperty("code").GetString()!;
        await staff.RecordMrssAsync(code, 1);
        return code;
    }
}

using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.RegularExpressions;
using Edc.Api.Common;
using Edc.Api.Features.AdverseEvents;
using Edc.Api.Tests.Infrastructure;
using Edc.Api.Web;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Security;
using Edc.Web.Tests.Infrastructure;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// Revising an adverse event on its page: the entry form's fields filled with the current version, a reason, the version
/// sent back as If-Match, so that a revision made from an older version overwrites nothing.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class AdverseEventRevisionTests(WebApp web)
{
    [Fact]
    public async Task Investigator_RevisesAnAdverseEventWithAReason_SeesTheNewValuesAndItsHistoryRow()
    {
        var staff = await SiteStaff.CreateAsync(web, Roles.Investigator);
        var path = await RecordHeadacheAsync(staff);
        var recorded = await staff.Client.GetJsonAsync(ApiPath(path));
        var page = await staff.SignedInPageAsync(web, path);
        await Expect(page.GetByLabel("Term")).ToHaveValueAsync("Headache");
        await Expect(page.GetByLabel("Grade")).ToHaveValueAsync("1");
        await Expect(page.GetByLabel("Ongoing")).ToBeCheckedAsync();
        await Expect(page.GetByLabel("Outcome")).ToHaveValueAsync("NotRecovered");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // Without a reason nothing is saved; the reason's error is beside it.
        await page.GetByLabel("Grade").SelectOptionAsync("2");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#reason-error")).ToContainTextAsync("needs the reason for the change");
        await Expect(page.GetByLabel("Grade")).ToHaveValueAsync("2");

        // A form the rules refuse shows each rule at its field: over, the event needs its end date.
        await page.GetByLabel("Ongoing").UncheckAsync();
        await page.GetByLabel("Reason for change").FillAsync("Grade corrected after the neurologist's letter");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(page.Locator("#ongoing-error")).ToHaveTextAsync("An event that is not ongoing needs its end date.");
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("An event that is not ongoing needs its end date.");
        await Expect(page.GetByLabel("Reason for change")).ToHaveValueAsync("Grade corrected after the neurologist's letter");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByLabel("Ongoing").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        await Expect(page.Locator("p.notice[role=status]")).ToHaveTextAsync("Saved as version 2.");
        await Expect(page.Locator("dl.details")).ToContainTextAsync(new Regex(@"Grade\s*2"));
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Grade corrected after the neurologist's letter" })).ToContainTextAsync("2");
        var revised = await staff.Client.GetJsonAsync(ApiPath(path));
        Assert.Equal(2, revised.GetProperty("grade").GetInt32());
        Assert.Equal(2, revised.GetProperty("version").GetInt32());

        // The awareness left as the form showed it stays as recorded, to the fraction of a second.
        Assert.Equal(recorded.GetProperty("awarenessDate").GetString(), revised.GetProperty("awarenessDate").GetString());

        await page.GetByRole(AriaRole.Link, new() { Name = "History of this adverse event" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("History of this adverse event");
        var change = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Update AdverseEvent" })
            .Filter(new() { Has = page.GetByRole(AriaRole.Cell, new() { Name = "Grade", Exact = true }) });
        await Expect(change).ToContainTextAsync(new Regex(@"Grade\s*1\s*2\s*Grade corrected after the neurologist's letter"));
        await Expect(change).ToContainTextAsync(staff.Email);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task TwoPagesReviseTheSameAdverseEvent_TheLaterIsStale_ShowsTheNewerValuesAndOverwritesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var path = await RecordHeadacheAsync(staff);
        var first = await staff.SignedInPageAsync(web, path);
        var second = await staff.SignedInPageAsync(web, path);

        await first.GetByLabel("Term").FillAsync("Migraine");
        await first.GetByLabel("Reason for change").FillAsync("Diagnosis confirmed");
        await first.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(first.Locator("p.notice[role=status]")).ToHaveTextAsync("Saved as version 2.");

        await second.GetByLabel("Grade").SelectOptionAsync("3");
        await second.GetByLabel("Reason for change").FillAsync("Worse than first reported");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();

        var alert = second.GetByRole(AriaRole.Alert);
        await Expect(alert).ToContainTextAsync("Your changes were not saved");
        await Expect(alert).ToContainTextAsync("Now stored (version 2)");
        await Expect(alert).ToContainTextAsync(new Regex(@"Term\s*Migraine"));
        await Expect(second.GetByLabel("Grade")).ToHaveValueAsync("3");
        await Expect(second.GetByLabel("Reason for change")).ToHaveValueAsync("Worse than first reported");
        var stored = await staff.Client.GetJsonAsync(ApiPath(path));
        Assert.Equal(("Migraine", 1, 2), (stored.GetProperty("term").GetString(), stored.GetProperty("grade").GetInt32(), stored.GetProperty("version").GetInt32()));
        await AxeCheck.AssertNoSeriousViolationsAsync(second);

        // Checked against what is stored, the entries are saved from the version now shown.
        await second.GetByLabel("Term").FillAsync("Migraine");
        await second.GetByRole(AriaRole.Button, new() { Name = "Save" }).ClickAsync();
        await Expect(second.Locator("p.notice[role=status]")).ToHaveTextAsync("Saved as version 3.");
        stored = await staff.Client.GetJsonAsync(ApiPath(path));
        Assert.Equal(("Migraine", 3), (stored.GetProperty("term").GetString(), stored.GetProperty("grade").GetInt32()));
    }

    [Fact]
    public async Task BoardMember_SeesNoRevisionForm_AndARevisionPostedAnywayIsRefusedAndChangesNothing()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var path = await RecordHeadacheAsync(staff);
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword, path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Adverse event: Headache");
        await Expect(page.GetByLabel("Reason for change")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save" })).ToHaveCountAsync(0);

        // The sign-out button's form gives a valid anti-forgery token; the page still refuses a form it does not draw.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var form = page.Context.APIRequest.CreateFormData();
        form.Set("__RequestVerificationToken", token!);
        form.Set("_handler", "revise-adverse-event");
        form.Set("Form.Version", "1");
        form.Set("Form.Term", "Rewritten by the board");
        form.Set("Form.Reason", "Not theirs to change");
        var response = await page.Context.APIRequest.PostAsync(path, new() { Form = form });

        Assert.Equal(400, response.Status);
        var stored = await staff.Client.GetJsonAsync(ApiPath(path));
        Assert.Equal(("Headache", 1), (stored.GetProperty("term").GetString(), stored.GetProperty("version").GetInt32()));
    }

    /// <summary>
    /// The page draws no form for the board, and a form it does not draw is refused before the page runs; but were it drawn
    /// for them (as it once was by mistake), the revision it sends would still meet the request's own roles and be refused.
    /// </summary>
    [Fact]
    public async Task BoardMember_WhenThePageSendsTheirRevision_TheRequestItselfRefusesItAndNothingChanges()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var path = await RecordHeadacheAsync(staff);
        var (boardMemberId, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword, path);
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Adverse event: Headache");

        // The revision form's command, sent as the page sends it: through PageErrors, as the signed-in board member.
        var ids = path.Split('/');
        var revision = new ReviseAdverseEvent.Command(Guid.Parse(ids[2]), Guid.Parse(ids[4]), new AdverseEventBody
        {
            Term = "Rewritten by the board",
            OnsetDate = SiteStaff.Today,
            Ongoing = true,
            Grade = 1,
            Serious = false,
            Relatedness = Relatedness.Unlikely,
            ActionTaken = ActionTaken.DoseNotChanged,
            Outcome = AdverseEventOutcome.NotRecovered,
            Reason = "Not theirs to change",
        }, RecordVersion.ETag(1));
        var errors = new PageErrors();
        await using var scope = web.Api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(boardMemberId, email, [Roles.DsmbMember], []);
        var mediator = scope.ServiceProvider.GetRequiredService<IMediator>();
        var (saved, _) = await errors.RunAsync(() => mediator.Send(revision));

        Assert.False(saved);
        Assert.Equal("Your role may not do this.", errors.Rule);
        var stored = await staff.Client.GetJsonAsync(ApiPath(path));
        Assert.Equal(("Headache", 1), (stored.GetProperty("term").GetString(), stored.GetProperty("version").GetInt32()));
    }

    private static string ApiPath(string pagePath) => "/api" + pagePath;

    /// <summary>A non-serious, ongoing grade 1 headache of the participant, recorded over the API; answers its page's path.</summary>
    private static async Task<string> RecordHeadacheAsync(SiteStaff staff)
    {
        var (coordinator, trialId, participantId) = staff.Participant;
        var response = await coordinator.PostAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/adverse-events", new
        {
            term = "Headache",
            onsetDate = SiteStaff.Today.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
            ongoing = true,
            grade = 1,
            serious = false,
            relatedness = "Unlikely",
            actionTaken = "DoseNotChanged",
            outcome = "NotRecovered",
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return $"/trials/{trialId}/adverse-events/{(await response.JsonAsync()).GetProperty("id").GetGuid()}";
    }
}

using System.Net;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>
/// A query's life through the pages: a monitor raises it from the field's query icon on the vital signs, the site's
/// coordinator sees it counted beside the field and answers it, the monitor finds it first in the inbox and closes it.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class QueryPageTests(WebApp web)
{
    private static readonly JsonSerializerOptions AsWritten = new();

    [Fact]
    public async Task Monitor_RaisesAQueryFromTheFieldsIcon_CoordinatorAnswersIt_MonitorClosesItFromTheInbox()
    {
        var staff = await SiteStaff.CreateAsync(web);
        var saved = await staff.Client.PutWithIfMatchAsync(
            $"{staff.Participant.Path}/visits/D0/forms/VS",
            new { values = new Dictionary<string, object> { ["WEIGHT"] = 70, ["SYSBP"] = 120, ["DIABP"] = 80, ["PULSE"] = 72, ["TEMP"] = 36.8m } },
            null, AsWritten);
        Assert.True(saved.StatusCode == HttpStatusCode.OK, await saved.Content.ReadAsStringAsync());
        var (_, monitorEmail) = await web.CreateUserAsync(Roles.Monitor);
        var vitals = FormPageTests.Form(staff, "D0", "VS");
        var inbox = $"/trials/{staff.Participant.TrialId}/queries";

        // The monitor opens the heart rate's queries from beside the field and raises one.
        var monitor = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(monitor, monitorEmail, TestData.UserPassword, vitals);
        await monitor.GetByRole(AriaRole.Link, new() { Name = "Queries for Heart rate" }).ClickAsync();
        await Expect(monitor.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("Queries on D0 VS PULSE");
        await monitor.GetByLabel("Question").FillAsync("The source says 76 beats per minute: which is right?");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Raise query" }).ClickAsync();
        await Expect(monitor.Locator(".notice[role=status]")).ToContainTextAsync("The query is raised");
        await Expect(monitor.GetByRole(AriaRole.List, new() { Name = "Messages" })).ToContainTextAsync("The source says 76 beats per minute");
        await AxeCheck.AssertNoSeriousViolationsAsync(monitor);

        // The coordinator sees it counted beside the field, opens its thread and answers.
        var coordinator = await staff.SignedInPageAsync(web, vitals);
        var icon = coordinator.GetByRole(AriaRole.Link, new() { Name = "Queries for Heart rate" });
        await Expect(icon).ToContainTextAsync("1 open");
        await icon.ClickAsync();
        await coordinator.GetByRole(AriaRole.Link, new() { Name = "Open thread of" }).First.ClickAsync();
        await coordinator.GetByLabel("Answer").FillAsync("72 is right: the source was corrected on the day.");
        await coordinator.GetByRole(AriaRole.Button, new() { Name = "Send answer" }).ClickAsync();
        await Expect(coordinator.Locator(".notice[role=status]")).ToContainTextAsync("Your answer is sent");
        await Expect(coordinator.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Query on D0 VS PULSE" })).ToContainTextAsync("Answered");
        await Expect(coordinator.GetByRole(AriaRole.Button, new() { Name = "Close query" })).ToHaveCountAsync(0);

        // The monitor's inbox puts the answered query first; the monitor closes it.
        await monitor.GotoAsync(inbox);
        var first = monitor.GetByRole(AriaRole.Table).GetByRole(AriaRole.Row).Nth(1);
        await Expect(first).ToContainTextAsync("Answered");
        await Expect(first).ToContainTextAsync("The source says 76 beats per minute");
        await first.GetByRole(AriaRole.Link, new() { Name = "Open thread of" }).ClickAsync();
        await monitor.GetByLabel("Closing comment").FillAsync("Settled with the corrected source.");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Close query" }).ClickAsync();
        await Expect(monitor.Locator(".notice[role=status]")).ToContainTextAsync("The query is closed.");
        await Expect(monitor.GetByRole(AriaRole.Heading, new() { Level = 2, Name = "Query on D0 VS PULSE" })).ToContainTextAsync("Closed");
        await Expect(monitor.GetByRole(AriaRole.Button, new() { Name = "Reopen query" })).ToBeVisibleAsync();
        await Expect(monitor.GetByRole(AriaRole.List, new() { Name = "Messages" }).GetByRole(AriaRole.Listitem)).ToHaveCountAsync(3);

        // The status filter narrows the inbox.
        await monitor.GotoAsync(inbox);
        await monitor.GetByLabel("Status").SelectOptionAsync("Open");
        await monitor.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(monitor.GetByText("Settled with the corrected source.")).ToHaveCountAsync(0);
        await Expect(monitor.GetByRole(AriaRole.Cell, new() { Name = "The source says 76 beats per minute: which is right?" })).ToHaveCountAsync(0);
    }
}

using System.Net;
using System.Net.Http.Json;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Edc.Web.Tests;

/// <summary>Each record of the casebook (participant, visit, MRSS, infusion, adverse event) one click from its history, for those who may read the trail.</summary>
[Collection(WebCollection.Name)]
public sealed class CasebookHistoryTests(WebApp web)
{
    [Fact]
    public async Task Investigator_FollowsAVisitsHistoryLink_SeesThatVisitsAuditRowsOnly()
    {
        var staff = await SiteStaff.CreateAsync(web, Roles.Investigator);
        await RecordVisitAsync(staff, "D0", new { status = "Completed", actualDate = SiteStaff.Today });
        await RecordVisitAsync(staff, "W2", new { status = "Missed", missedReason = "Travelling abroad" });
        var page = await staff.SignedInPageAsync(web, staff.ParticipantPage);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GetByRole(AriaRole.Link, new() { Name = "History of visit D0", Exact = true }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("History of this visit");
        var statusChange = page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Update ScheduledVisit" }).Filter(new() { HasText = "Status" });
        await Expect(statusChange).ToContainTextAsync("Completed");
        await Expect(page.GetByRole(AriaRole.Table)).Not.ToContainTextAsync("Travelling abroad");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "History of visit W2", Exact = true }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Table)).ToContainTextAsync("Travelling abroad");
    }

    [Fact]
    public async Task Investigator_FollowsTheMrssAndInfusionHistoryLinks_SeesTheirRows()
    {
        var staff = await SiteStaff.CreateAsync(web, Roles.Investigator);
        await staff.RecordMrssAsync("D0", 1, assessor: "Dr History");
        var infusion = await staff.Participant.Coordinator.PutAsJsonAsync(
            staff.Participant.Infusion("D0"), new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = staff.Participant.KitNumber });
        Assert.True(infusion.StatusCode == HttpStatusCode.OK, await infusion.Content.ReadAsStringAsync());
        var page = await staff.SignedInPageAsync(web, staff.ParticipantPage);

        await page.GetByRole(AriaRole.Link, new() { Name = "History of the MRSS at D0" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("History of this MRSS");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Insert MrssAssessment" }).Filter(new() { HasText = "AssessorName" }))
            .ToContainTextAsync("Dr History");

        await page.GoBackAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "History of the infusion at D0" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Level = 1 })).ToHaveTextAsync("History of this infusion");
        await Expect(page.GetByRole(AriaRole.Row).Filter(new() { HasText = "Insert InfusionRecord" }).Filter(new() { HasText = "KitNumber" }))
            .ToContainTextAsync(staff.Participant.KitNumber);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task Coordinator_WhoCannotReadTheAuditTrail_SeesNoHistoryLinks()
    {
        var staff = await SiteStaff.CreateAsync(web);
        await RecordVisitAsync(staff, "D0", new { status = "Completed", actualDate = SiteStaff.Today });
        await staff.RecordMrssAsync("D0", 1);

        var page = await staff.SignedInPageAsync(web, staff.ParticipantPage);

        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "D0 · Baseline / Day 0" })).ToBeVisibleAsync();
        await Expect(page.Locator("a.history")).ToHaveCountAsync(0);
    }

    private static async Task RecordVisitAsync(SiteStaff staff, string visitCode, object body)
    {
        var response = await staff.Participant.Coordinator.PutAsJsonAsync($"{staff.Participant.Path}/visits/{visitCode}", body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }
}

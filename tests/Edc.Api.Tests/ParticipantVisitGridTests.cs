using System.Globalization;
using System.Net;
using Edc.Api.Common;
using Edc.Api.Features.Visits;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// The trial home's participant-by-visit grid (a query the web page sends; no endpoint of its own): a column per protocol
/// visit, a row per participant of the caller's sites, each cell's status from the visit, its window and today.
/// </summary>
public sealed class ParticipantVisitGridTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static string Today => DateOnly.FromDateTime(DateTime.UtcNow).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Grid_ForARandomizedParticipant_ShowsDueToday_ThenCompletedOnceRecorded_AndOverdueWhenTheWindowClosed()
    {
        var p = await api.RandomizedAsync();

        var grid = await GridAsync(p.TrialId, Roles.Coordinator, p.SiteId);

        Assert.Equal(["SCR", "D0", "W2", "W4"], grid.Columns.Take(4).Select(c => c.Code));
        var row = Assert.Single(grid.Rows, r => r.ParticipantId == p.ParticipantId);
        Assert.Equal(grid.Columns.Select(c => c.Code), row.Cells.Select(c => c.VisitCode));
        Assert.Equal(VisitCellStatus.Due, Cell(row, "D0"));
        Assert.Equal(VisitCellStatus.Scheduled, Cell(row, "W2"));

        var saved = await p.Coordinator.PutWithIfMatchAsync($"{p.Path}/visits/D0", new { status = "Completed", actualDate = Today }, null);
        Assert.Equal(HttpStatusCode.OK, saved.StatusCode);
        var missed = await p.Coordinator.PutWithIfMatchAsync($"{p.Path}/visits/W4", new { status = "Missed", missedReason = "Travel" }, null);
        Assert.Equal(HttpStatusCode.OK, missed.StatusCode);
        await Sql.ExecuteAsync(
            api.ConnectionString,
            "UPDATE visits SET window_start = window_start - 30, window_end = window_end - 30 WHERE participant_id = @p AND code = 'W2'",
            p.ParticipantId);

        row = Assert.Single((await GridAsync(p.TrialId, Roles.Coordinator, p.SiteId)).Rows, r => r.ParticipantId == p.ParticipantId);
        Assert.Equal(VisitCellStatus.Completed, Cell(row, "D0"));
        Assert.Equal(VisitCellStatus.Overdue, Cell(row, "W2"));
        Assert.Equal(VisitCellStatus.Missed, Cell(row, "W4"));
    }

    [Fact]
    public async Task Grid_ForAParticipantNotRandomized_HasNoScheduledVisit_AndAnotherSitesStaffDoNotSeeIt()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, siteId);
        var participantId = await coordinator.RegisterAsync(trialId, siteId);
        var otherSite = await admin.AddSiteAsync(trialId, "G" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant());

        var row = Assert.Single((await GridAsync(trialId, Roles.Coordinator, siteId)).Rows, r => r.ParticipantId == participantId);
        Assert.All(row.Cells, c => Assert.Equal(VisitCellStatus.NotScheduled, c.Status));
        Assert.DoesNotContain((await GridAsync(trialId, Roles.Coordinator, otherSite)).Rows, r => r.ParticipantId == participantId);
    }

    [Fact]
    public async Task Grid_OfATrialTheCallerCannotSee_IsNotFound()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => GridAsync(trialId, Roles.Coordinator));
    }

    private static VisitCellStatus Cell(VisitGridRow row, string code) => row.Cells.Single(c => c.VisitCode == code).Status;

    private async Task<VisitGridView> GridAsync(Guid trialId, string role, params Guid[] siteIds)
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(Guid.NewGuid(), "grid@test.local", [role], siteIds);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ParticipantVisitGrid.Query(trialId, new PageRequest(1, PageRequest.MaxPageSize)));
    }
}

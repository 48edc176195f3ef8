using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
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
/// visit, a row per participant of the caller's sites, each cell's status from the visit, its window and today, and how
/// far the visit's forms are.
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
    public async Task Grid_CountsEachVisitsFormsByStatus_InTwoStatementsForTheWholePage()
    {
        var p = await api.RandomizedAsync();
        var other = await api.RandomizedAsync(p.Coordinator);
        var asWritten = new JsonSerializerOptions();
        var demographics = new Dictionary<string, object>
        {
            ["SEX"] = "F",
            ["BIRTHYEAR"] = 1980,
            ["ETHNIC"] = "NOTHISPANIC",
            ["RACE"] = "ASIAN",
            ["FIRSTSYMPTOM"] = "2025-01-10",
            ["RNAPOL3"] = "NEG",
            ["SCL70"] = "POS",
            ["ACA"] = "NEG",
        };
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/SCR/forms/DM", new { values = demographics }, asWritten)).StatusCode);
        // Vital signs with the weight only: saved, in progress.
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0/forms/VS", new { values = new { WEIGHT = 70 } }, asWritten)).StatusCode);
        var mrss = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0/mrss", new
        {
            assessedOn = Today,
            assessorName = "Dr Grid",
            scores = MrssAreas.ToDictionary(a => a, _ => 1),
        });
        Assert.Equal(HttpStatusCode.OK, mrss.StatusCode);

        var (grid, statements) = await CountedStatements.CountAsync(() => GridAsync(p.TrialId, Roles.Coordinator, p.SiteId));

        Assert.Equal(2, statements);
        Assert.True(grid.Rows.Count >= 2);
        Assert.Equal(3, grid.Columns.Single(c => c.Code == "SCR").Forms); // MRSS, DM, PFT
        Assert.Equal(4, grid.Columns.Single(c => c.Code == "D0").Forms); // MRSS, INFUSION, VS, BIOPSY
        var row = Assert.Single(grid.Rows, r => r.ParticipantId == p.ParticipantId);
        Assert.Equal(new FormProgress(3, 1, 0), row.Cells.Single(c => c.VisitCode == "SCR").Forms);
        Assert.Equal(new FormProgress(4, 1, 1), row.Cells.Single(c => c.VisitCode == "D0").Forms);
        Assert.Equal(new FormProgress(2, 0, 0), row.Cells.Single(c => c.VisitCode == "W2").Forms); // INFUSION, VS
        Assert.All(grid.Rows.Single(r => r.ParticipantId == other.ParticipantId).Cells, c => Assert.False(c.Forms.Started));

        // A second page comes the same way, with the same total.
        var (second, secondStatements) = await CountedStatements.CountAsync(() => GridAsync(p.TrialId, Roles.Coordinator, new PageRequest(2, 1), p.SiteId));
        Assert.Equal(2, secondStatements);
        Assert.Equal(grid.Total, second.Total);
        Assert.Equal(grid.Rows[1].ParticipantId, Assert.Single(second.Rows).ParticipantId);
    }

    [Fact]
    public async Task Grid_OfATrialTheCallerCannotSee_IsNotFound()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        await Assert.ThrowsAsync<NotFoundException>(() => GridAsync(trialId, Roles.Coordinator));
    }

    private static VisitCellStatus Cell(VisitGridRow row, string code) => row.Cells.Single(c => c.VisitCode == code).Status;

    private static readonly string[] MrssAreas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private Task<VisitGridView> GridAsync(Guid trialId, string role, params Guid[] siteIds) =>
        GridAsync(trialId, role, new PageRequest(1, PageRequest.MaxPageSize), siteIds);

    private async Task<VisitGridView> GridAsync(Guid trialId, string role, PageRequest page, params Guid[] siteIds)
    {
        await using var scope = api.Services.CreateAsyncScope();
        scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(Guid.NewGuid(), "grid@test.local", [role], siteIds);
        return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new ParticipantVisitGrid.Query(trialId, page));
    }
}

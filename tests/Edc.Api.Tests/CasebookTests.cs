using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Features.Casebook;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Infrastructure.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

public sealed class CasebookTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly string[] ArmCodes = ["BEL", "PBO"];

    private static readonly string[] ArmNames =
        ["Belimumab 10 mg/kg IV + mycophenolate mofetil", "Placebo (normal saline) IV + mycophenolate mofetil", "Belimumab", "Placebo"];

    [Fact]
    public async Task GetCasebook_WhenCoordinator_ShowsNoArmAnywhere()
    {
        var p = await api.RandomizedAsync();
        await RecordInfusionAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var response = await p.Coordinator.GetAsync(Casebook(p));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var raw = await response.Content.ReadAsStringAsync();
        Assert.All(ArmCodes, code => Assert.DoesNotContain(code, raw, StringComparison.Ordinal));
        Assert.All(ArmNames, name => Assert.DoesNotContain(name, raw, StringComparison.OrdinalIgnoreCase));
        using var document = JsonDocument.Parse(raw);
        Assert.Empty(PropertiesNamedArm(document.RootElement));
        Assert.Equal(p.ParticipantId, document.RootElement.GetProperty("participant").GetProperty("id").GetGuid());
    }

    [Fact]
    public async Task GetCasebook_WhenPharmacistOfTheSite_ShowsTheArmInTheParticipant()
    {
        var p = await api.RandomizedAsync();
        var pharmacist = await api.ClientForNewUserAsync(p.Admin, "Pharmacist", p.SiteId);

        var casebook = await pharmacist.GetJsonAsync(Casebook(p));

        var arm = casebook.GetProperty("participant").GetProperty("arm");
        Assert.Contains(arm.GetProperty("code").GetString(), ArmCodes);
        Assert.False(string.IsNullOrEmpty(arm.GetProperty("name").GetString()));
    }

    [Fact]
    public async Task GetCasebook_WhenInfusionsRecorded_ListsVisitsInfusionsAndTheCount()
    {
        var p = await api.RandomizedAsync();
        await RecordInfusionAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddDays(-14), kitNumber = p.KitNumber });
        await RecordInfusionAsync(p, "W2", new { notAdministeredReason = "Intercurrent infection" });
        await RecordInfusionAsync(p, "W4", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-2), kitNumber = p.KitNumber });

        var casebook = await p.Coordinator.GetJsonAsync(Casebook(p));

        Assert.Equal(16, casebook.GetProperty("visits").GetArrayLength());
        var infusions = casebook.GetProperty("infusions").EnumerateArray().ToList();
        Assert.Equal(["D0", "W2", "W4"], infusions.Select(i => i.GetProperty("visitCode").GetString()));
        Assert.Equal([true, false, true], infusions.Select(i => i.GetProperty("administered").GetBoolean()));
        Assert.Equal("Intercurrent infection", infusions[1].GetProperty("notAdministeredReason").GetString());
        Assert.Equal(2, casebook.GetProperty("infusionsReceived").GetInt32());
        Assert.Equal(0, casebook.GetProperty("mrss").GetArrayLength());
        var links = casebook.GetProperty("links");
        Assert.Equal($"{p.Path}/visits", links.GetProperty("visits").GetString());
        Assert.Equal($"/api/trials/{p.TrialId}/adverse-events?participantId={p.ParticipantId}", links.GetProperty("adverseEvents").GetString());
    }

    [Fact]
    public async Task GetCasebook_ListsEachVisitsFormsWithTheirStatus_AndTheTrialsLogForms_InThreeStatements()
    {
        var p = await api.RandomizedAsync();
        var asWritten = new JsonSerializerOptions();
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0/forms/VS", new { values = new { WEIGHT = 70 } }, asWritten)).StatusCode);
        await RecordInfusionAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });

        var casebook = await p.Coordinator.GetJsonAsync(Casebook(p));

        string[] Forms(string visitCode) => [.. casebook.GetProperty("visits").EnumerateArray().Single(v => v.GetProperty("code").GetString() == visitCode)
            .GetProperty("forms").EnumerateArray().Select(f => $"{f.GetProperty("formCode").GetString()} {f.GetProperty("status").GetString()}")];
        Assert.Equal(["MRSS NotStarted", "DM NotStarted", "PFT NotStarted"], Forms("SCR"));
        Assert.Equal(["MRSS NotStarted", "INFUSION Complete", "VS InProgress", "BIOPSY NotStarted"], Forms("D0"));
        var visit = casebook.GetProperty("visits")[1];
        Assert.Equal("D0", visit.GetProperty("code").GetString());
        Assert.Equal("Vital signs", visit.GetProperty("forms")[2].GetProperty("name").GetString());
        Assert.Equal(
            [("CM", "Concomitant medications", $"{p.Path}/logs/CM"), ("MH", "Medical history", $"{p.Path}/logs/MH")],
            casebook.GetProperty("logForms").EnumerateArray().Select(l => (l.GetProperty("formCode").GetString(), l.GetProperty("name").GetString(), l.GetProperty("entries").GetString())));

        // The forms' statuses come with the visits: the casebook stays three statements (its trial's forms kept per instance):
        // the participant with its visits, the adverse events, the signatures (each joined to the visits would multiply their rows).
        var (_, statements) = await CountedStatements.CountAsync(async () =>
        {
            await using var scope = api.Services.CreateAsyncScope();
            scope.ServiceProvider.GetRequiredService<CurrentUser>().Set(Guid.NewGuid(), "casebook@test.local", [Roles.Coordinator], [p.SiteId]);
            return await scope.ServiceProvider.GetRequiredService<IMediator>().Send(new GetCasebook.Query(p.TrialId, p.ParticipantId));
        });
        Assert.Equal(3, statements);
    }

    [Fact]
    public async Task GetCasebook_WhenVisitMrssAndInfusionRecorded_GivesEachTheIdItsAuditRowsName()
    {
        var p = await api.RandomizedAsync();
        var visit = await p.Coordinator.PutAsJsonAsync($"{p.Path}/visits/D0", new { status = "Completed", actualDate = DateOnly.FromDateTime(DateTime.UtcNow) });
        Assert.True(visit.StatusCode == HttpStatusCode.OK, await visit.Content.ReadAsStringAsync());
        await RecordInfusionAsync(p, "D0", new { administeredAt = DateTimeOffset.UtcNow.AddHours(-1), kitNumber = p.KitNumber });
        await InsertMrssAsync(p, "D0", DateOnly.FromDateTime(DateTime.UtcNow), 12);

        var casebook = await p.Coordinator.GetJsonAsync(Casebook(p));

        var visitId = casebook.GetProperty("visits").EnumerateArray().Single(v => v.GetProperty("code").GetString() == "D0").GetProperty("id").GetGuid();
        var mrssId = Assert.Single(casebook.GetProperty("mrss").EnumerateArray()).GetProperty("id").GetGuid();
        var infusionId = Assert.Single(casebook.GetProperty("infusions").EnumerateArray()).GetProperty("id").GetGuid();
        Assert.Equal(visitId, await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM visits WHERE participant_id = @p AND code = 'D0'", p.ParticipantId));
        Assert.Equal(mrssId, await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM mrss_assessments WHERE visit_id = @p", visitId));
        Assert.Equal(infusionId, await Sql.ScalarAsync<Guid>(api.ConnectionString, "SELECT id FROM infusions WHERE visit_id = @p", visitId));
        Assert.All(casebook.GetProperty("visits").EnumerateArray(), v => Assert.NotEqual(Guid.Empty, v.GetProperty("id").GetGuid()));

        // The ids name the records in the audit trail, as the casebook page's History links use them.
        foreach (var (entityType, id) in new[] { ("ScheduledVisit", visitId), ("InfusionRecord", infusionId) })
        {
            var rows = await p.Admin.GetJsonAsync($"/api/trials/{p.TrialId}/audit?entityType={entityType}&entityId={id}");
            Assert.True(rows.GetProperty("total").GetInt32() > 0, $"{entityType} {id} has no audit rows");
        }
    }

    [Fact]
    public async Task GetParticipant_Always_LinksToTheCasebook()
    {
        var p = await api.RandomizedAsync();

        var participant = await p.Coordinator.GetJsonAsync(p.Path);

        Assert.Equal(Casebook(p), participant.GetProperty("links").GetProperty("casebook").GetString());
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.GetAsync(participant.GetProperty("links").GetProperty("casebook").GetString())).StatusCode);
    }

    [Fact]
    public async Task GetCasebook_WhenMrssAssessed_ListsTotalsInDateOrder()
    {
        var p = await api.RandomizedAsync();
        var today = DateOnly.FromDateTime(DateTime.UtcNow);

        // Inserted out of date order: the baseline (D0) before the screening assessment ten days earlier.
        await InsertMrssAsync(p, "D0", today, 21);
        await InsertMrssAsync(p, "SCR", today.AddDays(-10), 24);

        var mrss = (await p.Coordinator.GetJsonAsync(Casebook(p))).GetProperty("mrss").EnumerateArray().ToList();

        Assert.Equal(["SCR", "D0"], mrss.Select(m => m.GetProperty("visitCode").GetString()));
        Assert.Equal([24, 21], mrss.Select(m => m.GetProperty("total").GetInt32()));
        Assert.Equal(today.AddDays(-10).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), mrss[0].GetProperty("assessedOn").GetString());
    }

    [Fact]
    public async Task GetCasebook_WhenAdverseEventsRecorded_ListsThemByOnsetWithTheirLinks()
    {
        var p = await api.RandomizedAsync();
        var serious = await ReportingDeadlineMonitorTests.RecordSeriousAsync(p, "Pneumonia", awareHoursAgo: 2, relatedness: "Possible");

        var casebook = await p.Coordinator.GetJsonAsync(Casebook(p));

        var adverseEvent = Assert.Single(casebook.GetProperty("adverseEvents").EnumerateArray());
        Assert.Equal(serious, adverseEvent.GetProperty("id").GetGuid());
        Assert.Equal("Pneumonia", adverseEvent.GetProperty("term").GetString());
        Assert.True(adverseEvent.GetProperty("serious").GetBoolean());
        Assert.Equal(3, adverseEvent.GetProperty("grade").GetInt32());
        var link = adverseEvent.GetProperty("link").GetString();
        Assert.Equal(HttpStatusCode.OK, (await p.Coordinator.GetAsync(link)).StatusCode);
    }

    [Fact]
    public async Task GetCasebook_WhenCoordinatorOfAnotherSite_Returns404()
    {
        var p = await api.RandomizedAsync();
        var otherSite = await p.Admin.AddSiteAsync(p.TrialId, "CB-" + Guid.NewGuid().ToString("N")[..8]);
        var stranger = await api.ClientForNewUserAsync(p.Admin, "Coordinator", otherSite);

        await (await stranger.GetAsync(Casebook(p))).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await p.Coordinator.GetAsync($"/api/trials/{p.TrialId}/participants/{Guid.NewGuid()}/casebook")).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    private static string Casebook(RandomizedParticipant p) => $"{p.Path}/casebook";

    private static IEnumerable<string> PropertiesNamedArm(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.Object => element.EnumerateObject().SelectMany(p =>
            p.Name.Contains("arm", StringComparison.OrdinalIgnoreCase) ? [p.Name, .. PropertiesNamedArm(p.Value)] : PropertiesNamedArm(p.Value)),
        JsonValueKind.Array => element.EnumerateArray().SelectMany(PropertiesNamedArm),
        _ => [],
    };

    private static async Task RecordInfusionAsync(RandomizedParticipant p, string visitCode, object body)
    {
        var response = await p.Coordinator.PutAsJsonAsync(p.Infusion(visitCode), body);
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private Task<int> InsertMrssAsync(RandomizedParticipant p, string visitCode, DateOnly assessedOn, int total) => Sql.ExecuteAsync(
        api.ConnectionString,
        $"""
        INSERT INTO mrss_assessments (id, trial_id, site_id, participant_id, visit_id, assessed_on, assessor_name,
            face, anterior_chest, abdomen, right_fingers, left_fingers, right_hand, left_hand, right_forearm, left_forearm,
            right_upper_arm, left_upper_arm, right_thigh, left_thigh, right_lower_leg, left_lower_leg, right_foot, left_foot, total)
        SELECT gen_random_uuid(), trial_id, site_id, participant_id, id, DATE '{assessedOn:yyyy-MM-dd}', 'Dr Test',
            0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, {total}
        FROM visits WHERE participant_id = @p AND code = '{visitCode}'
        """,
        p.ParticipantId);
}

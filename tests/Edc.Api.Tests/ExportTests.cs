using System.Net;
using System.Net.Http.Json;
using System.Text;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// CSV exports of MRSS and visits: one header line and one row per assessment or visit, site-scoped, blinded for every
/// role until the final unblinding (no arm column, no arm code or name anywhere), an arm column after it, RFC 4180
/// escaping, formula injection defused, audited, and streamed. Each test uses a trial of its own.
/// </summary>
public sealed class ExportTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private static readonly string[] Areas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    private static readonly string[] MrssHeader =
        ["screeningNumber", "randomizationNumber", "siteCode", "visitCode", "assessedOn", "assessorName", .. Areas, "total", "baselineTotal", "changeFromBaseline"];

    private static readonly string[] VisitsHeader =
    [
        "screeningNumber", "randomizationNumber", "siteCode", "visitCode", "visitName", "day", "targetDate", "windowStart", "windowEnd",
        "status", "actualDate", "outOfWindow", "missedReason",
    ];

    [Fact]
    public async Task ExportMrss_WhenAssessed_HasTheHeaderAndOneRowPerAssessmentWithBaselineAndChange()
    {
        var t = await TrialAsync();

        var response = await t.Admin.GetAsync($"/api/trials/{t.TrialId}/exports/mrss.csv");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("mrss.csv", response.Content.Headers.ContentDisposition?.ToString() ?? string.Empty, StringComparison.Ordinal);
        var rows = Csv.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(MrssHeader, rows[0]);
        var data = Csv.Records(rows);
        Assert.Equal(3, data.Count);

        var baseline = data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "D0");
        var week4 = data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "W4");
        Assert.Equal("18", baseline["total"]);
        Assert.Equal("18", baseline["baselineTotal"]);
        Assert.Equal("0", baseline["changeFromBaseline"]);
        Assert.Equal("2", baseline["face"]);
        Assert.Equal("1", baseline["leftFoot"]);
        Assert.Equal("Dr. Baseline", baseline["assessorName"]);
        Assert.Equal(t.SiteCodeA, baseline["siteCode"]);
        Assert.False(string.IsNullOrEmpty(baseline["randomizationNumber"]));
        Assert.Equal("16", week4["total"]);
        Assert.Equal("18", week4["baselineTotal"]);
        Assert.Equal("-2", week4["changeFromBaseline"]);

        // A participant without a baseline has an empty baseline and change.
        var other = data.Single(r => r["screeningNumber"] == t.ScreeningB);
        Assert.Equal("W4", other["visitCode"]);
        Assert.Equal(string.Empty, other["baselineTotal"]);
        Assert.Equal(string.Empty, other["changeFromBaseline"]);
    }

    [Fact]
    public async Task ExportVisits_Always_HasTheHeaderAndOneRowPerVisit()
    {
        var t = await TrialAsync();

        var rows = Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "visits.csv"));

        Assert.Equal(VisitsHeader, rows[0]);
        var data = Csv.Records(rows);
        Assert.Equal(4, data.Count);
        var w4 = data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "W4");
        Assert.Equal("Week 4", w4["visitName"]);
        Assert.Equal("28", w4["day"]);
        Assert.Equal("Scheduled", w4["status"]);
        Assert.Equal("false", w4["outOfWindow"]);
        var target = DateOnly.Parse(w4["targetDate"], System.Globalization.CultureInfo.InvariantCulture);
        Assert.Equal(target.AddDays(-3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), w4["windowStart"]);
        Assert.Equal(target.AddDays(3).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), w4["windowEnd"]);
    }

    [Fact]
    public async Task Export_WhenSiteScoped_HoldsOnlyTheCallersSitesAndHidesOtherTrials()
    {
        var t = await TrialAsync();
        var investigatorB = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteB);
        var demoCoordinator = await api.ClientForNewUserAsync(t.Admin, Roles.Coordinator, await t.Admin.DemoSiteIdAsync());

        var mrssA = Csv.Records(Csv.Parse(await Csv.ExportAsync(t.CoordinatorA, t.TrialId, "mrss.csv")));
        var visitsB = Csv.Records(Csv.Parse(await Csv.ExportAsync(investigatorB, t.TrialId, "visits.csv")));

        Assert.Equal(2, mrssA.Count);
        Assert.All(mrssA, r => Assert.Equal(t.ScreeningA, r["screeningNumber"]));
        Assert.Equal(2, visitsB.Count);
        Assert.All(visitsB, r => Assert.Equal(t.ScreeningB, r["screeningNumber"]));
        foreach (var export in new[] { "mrss.csv", "visits.csv" })
        {
            await (await demoCoordinator.GetAsync($"/api/trials/{t.TrialId}/exports/{export}")).AssertProblemAsync(HttpStatusCode.NotFound);
            await (await t.Admin.GetAsync($"/api/trials/{Guid.NewGuid()}/exports/{export}")).AssertProblemAsync(HttpStatusCode.NotFound);
        }
    }

    [Fact]
    public async Task Export_BeforeFinalUnblinding_HasNoArmColumnAndNoArmStringForAnyRole()
    {
        var t = await TrialAsync();
        var clients = new Dictionary<string, HttpClient>(StringComparer.Ordinal)
        {
            [Roles.Admin] = t.Admin,
            [Roles.Coordinator] = t.CoordinatorA,
            [Roles.Investigator] = await api.ClientForNewUserAsync(t.Admin, Roles.Investigator, t.SiteA),
            [Roles.DsmbMember] = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember),
            [Roles.UnblindedStatistician] = t.Statistician,
        };

        foreach (var (role, client) in clients)
        {
            foreach (var export in new[] { "mrss.csv", "visits.csv" })
            {
                var text = await Csv.ExportAsync(client, t.TrialId, export);
                var header = Csv.Parse(text)[0];
                Assert.DoesNotContain("arm", header);
                Assert.DoesNotContain(DistinctiveTrial.ArmStrings, secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase));
                Assert.True(Csv.Parse(text).Count > 1, $"{role} {export}: no rows");
            }
        }

        // The pharmacist sees arms and nothing else: no export.
        var pharmacist = await api.ClientForNewUserAsync(t.Admin, Roles.Pharmacist, t.SiteA);
        await (await pharmacist.GetAsync($"/api/trials/{t.TrialId}/exports/visits.csv")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Export_AfterLockAndFinalUnblinding_AddsTheArmOfEachParticipant()
    {
        var t = await TrialAsync();
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(t.Statistician, t.TrialId);
        var dsmb = await api.ClientForNewUserAsync(t.Admin, Roles.DsmbMember);
        Assert.Equal(HttpStatusCode.OK, (await t.Admin.PostAsync($"/api/trials/{t.TrialId}/lock", null)).StatusCode);

        // Locked but not yet unblinded: still blind.
        Assert.DoesNotContain("arm", Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "visits.csv"))[0]);
        var unblinding = await t.Statistician.PostAsync($"/api/trials/{t.TrialId}/final-unblinding", null);
        Assert.True(unblinding.StatusCode == HttpStatusCode.OK, await unblinding.Content.ReadAsStringAsync());

        foreach (var client in new[] { t.Admin, t.CoordinatorA, dsmb })
        {
            var mrss = Csv.Parse(await Csv.ExportAsync(client, t.TrialId, "mrss.csv"));
            var visits = Csv.Parse(await Csv.ExportAsync(client, t.TrialId, "visits.csv"));
            Assert.Equal(MrssHeader.Append("arm"), mrss[0]);
            Assert.Equal(VisitsHeader.Append("arm"), visits[0]);
            foreach (var row in Csv.Records(mrss).Concat(Csv.Records(visits)))
            {
                var participant = row["screeningNumber"] == t.ScreeningA ? t.ParticipantA : t.ParticipantB;
                Assert.Equal(armOf[participant], row["arm"]);
            }
        }
    }

    [Fact]
    public async Task ExportVisits_WhenTextHoldsCommasQuotesLineBreaksOrFormulas_EscapesAndDefusesThem()
    {
        var t = await TrialAsync();
        const string Awkward = "Away, said \"back soon\"\nthen a new line";
        const string Formula = "=HYPERLINK(\"http://evil.example\",\"click\")";
        await MissAsync(t.CoordinatorA, t.TrialId, t.ParticipantA, "D0", Awkward);
        await MissAsync(t.CoordinatorA, t.TrialId, t.ParticipantA, "W4", Formula);
        await MissAsync(t.CoordinatorB, t.TrialId, t.ParticipantB, "W4", "@SUM(1+1)");

        var text = await Csv.ExportAsync(t.Admin, t.TrialId, "visits.csv");
        var rows = Csv.Parse(text);
        var data = Csv.Records(rows);

        Assert.Contains("\"Away, said \"\"back soon\"\"\nthen a new line\"", text, StringComparison.Ordinal);
        Assert.Equal(Awkward, data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "D0")["missedReason"]);
        Assert.Equal("'" + Formula, data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "W4")["missedReason"]);
        Assert.Equal("'@SUM(1+1)", data.Single(r => r["screeningNumber"] == t.ScreeningB && r["visitCode"] == "W4")["missedReason"]);
        Assert.All(rows, r => Assert.Equal(VisitsHeader.Length, r.Length));
        Assert.Equal("Missed", data.Single(r => r["screeningNumber"] == t.ScreeningA && r["visitCode"] == "D0")["status"]);
    }

    [Fact]
    public async Task Export_WhenCalled_WritesAnAuditRowNamingTheExport()
    {
        var t = await TrialAsync();
        var (_, email) = await t.Admin.CreateUserAsync([Roles.DsmbMember]);
        var dsmb = await api.LoginAsync(email, TestData.UserPassword);

        await Csv.ExportAsync(dsmb, t.TrialId, "mrss.csv");
        await Csv.ExportAsync(dsmb, t.TrialId, "visits.csv");

        foreach (var export in new[] { "mrss.csv", "visits.csv" })
        {
            Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, $"""
                SELECT count(*) FROM audit_entries
                WHERE action = 'Export' AND entity_type = 'Trial' AND entity_id = '{t.TrialId}' AND trial_id = '{t.TrialId}'
                  AND user_email = @p AND new_value LIKE '{export}%'
                """, email));
        }

        var audit = await t.Admin.GetJsonAsync($"/api/trials/{t.TrialId}/audit?entityType=Trial&pageSize=200");
        Assert.Contains(audit.GetProperty("items").EnumerateArray(), e => e.GetRawText().Contains("Export", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Export_WithTwentyThousandRows_StreamsEveryRow()
    {
        var t = await TrialAsync();
        const int Extra = 20_000;
        await Sql.ExecuteAsync(api.ConnectionString, $"""
            INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end, procedures, status, out_of_window)
            SELECT gen_random_uuid(), v.trial_id, v.site_id, v.participant_id, 'G' || g, 'Generated ' || g, 1000 + g,
                   v.target_date + g, v.target_date + g - 1, v.target_date + g + 1, ARRAY['Mrss'], 'Scheduled', false
            FROM visits v, generate_series(1, {Extra}) g
            WHERE v.participant_id = '{t.ParticipantA}' AND v.code = 'D0';
            INSERT INTO mrss_assessments (id, trial_id, site_id, participant_id, visit_id, assessed_on, assessor_name,
                face, anterior_chest, abdomen, right_fingers, left_fingers, right_hand, left_hand, right_forearm, left_forearm,
                right_upper_arm, left_upper_arm, right_thigh, left_thigh, right_lower_leg, left_lower_leg, right_foot, left_foot, total)
            SELECT gen_random_uuid(), v.trial_id, v.site_id, v.participant_id, v.id, v.target_date, 'Dr. Bulk',
                1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 17
            FROM visits v WHERE v.participant_id = '{t.ParticipantA}' AND v.code LIKE 'G%';
            """);

        using var request = new HttpRequestMessage(HttpMethod.Get, $"/api/trials/{t.TrialId}/exports/mrss.csv");
        using var response = await t.Admin.SendAsync(request, HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        // Not buffered into one body of known length: written in chunks as rows arrive.
        Assert.Null(response.Content.Headers.ContentLength);
        Assert.True(response.Headers.TransferEncodingChunked);
        await using var stream = await response.Content.ReadAsStreamAsync();
        using var reader = new StreamReader(stream, Encoding.UTF8);
        Assert.Equal(string.Join(',', MrssHeader), await reader.ReadLineAsync());
        var lines = 0;
        var change = 0;
        while (await reader.ReadLineAsync() is { } line)
        {
            lines++;
            if (line.Contains("Dr. Bulk", StringComparison.Ordinal) && line.EndsWith(",17,18,-1", StringComparison.Ordinal))
            {
                change++;
            }
        }

        Assert.Equal(Extra + 3, lines);
        Assert.Equal(Extra, change);

        var visits = Csv.Parse(await Csv.ExportAsync(t.Admin, t.TrialId, "visits.csv"));
        Assert.Equal(Extra + 4, visits.Count - 1);
    }

    private static async Task MissAsync(HttpClient client, Guid trialId, Guid participantId, string visitCode, string missedReason)
    {
        var response = await client.PutAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}", new { status = "Missed", missedReason });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
    }

    private sealed record ExportTrial(
        HttpClient Admin, HttpClient Statistician, HttpClient CoordinatorA, HttpClient CoordinatorB, Guid TrialId, Guid SiteA, Guid SiteB,
        string SiteCodeA, Guid ParticipantA, Guid ParticipantB, string ScreeningA, string ScreeningB);

    /// <summary>
    /// A trial of its own (arm strings that cannot occur by accident) with sites A and B and one randomized participant
    /// at each. MRSS, entered in SQL (the 17 columns and total as stored): A at D0 (face 2, other areas 1: total 18) and W4
    /// (face 0, others 1: total 16), B at W4 only (face 3: total 3, no baseline).
    /// </summary>
    private async Task<ExportTrial> TrialAsync()
    {
        var admin = await api.AdminAsync();
        var codeA = "XA" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var codeB = "XB" + Guid.NewGuid().ToString("N")[..6].ToUpperInvariant();
        var trial = await DistinctiveTrial.CreateAsync(admin, [codeA, codeB]);
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        await statistician.CreateListAsync(trial.Id);
        var coordinatorA = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites[codeA]);
        var coordinatorB = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites[codeB]);
        var a = await DistinctiveTrial.ParticipantAsync(coordinatorA, trial.Id, trial.Sites[codeA], "limited");
        var b = await DistinctiveTrial.ParticipantAsync(coordinatorB, trial.Id, trial.Sites[codeB], "diffuse");
        await MrssAsync(a, "D0", "Dr. Baseline", face: 2, others: 1);
        await MrssAsync(a, "W4", "Dr. Week Four", face: 0, others: 1);
        await MrssAsync(b, "W4", "Dr. Other", face: 3, others: 0);
        var screeningA = (await admin.GetJsonAsync($"/api/trials/{trial.Id}/participants/{a}")).GetProperty("screeningNumber").GetString()!;
        var screeningB = (await admin.GetJsonAsync($"/api/trials/{trial.Id}/participants/{b}")).GetProperty("screeningNumber").GetString()!;
        return new ExportTrial(admin, statistician, coordinatorA, coordinatorB, trial.Id, trial.Sites[codeA], trial.Sites[codeB], codeA, a, b, screeningA, screeningB);
    }

    /// <summary>An assessment as stored: face, then 16 areas of <paramref name="others"/>, and their total.</summary>
    private Task<int> MrssAsync(Guid participantId, string visitCode, string assessor, int face, int others) =>
        Sql.ExecuteAsync(api.ConnectionString, $"""
            INSERT INTO mrss_assessments (id, trial_id, site_id, participant_id, visit_id, assessed_on, assessor_name,
                face, anterior_chest, abdomen, right_fingers, left_fingers, right_hand, left_hand, right_forearm, left_forearm,
                right_upper_arm, left_upper_arm, right_thigh, left_thigh, right_lower_leg, left_lower_leg, right_foot, left_foot, total)
            SELECT gen_random_uuid(), v.trial_id, v.site_id, v.participant_id, v.id, v.target_date, @p,
                {face}, {others}, {others}, {others}, {others}, {others}, {others}, {others}, {others},
                {others}, {others}, {others}, {others}, {others}, {others}, {others}, {others}, {face + (16 * others)}
            FROM visits v WHERE v.participant_id = '{participantId}' AND v.code = '{visitCode}'
            """, assessor);
}

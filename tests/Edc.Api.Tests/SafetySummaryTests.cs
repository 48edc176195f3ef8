using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Features.SafetySummaries;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using MediatR;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Edc.Api.Tests;

/// <summary>
/// Safety summaries for the data safety board: the figures of a small known trial, computed in the database and
/// frozen at the cut-off; masked groups for the board, real arms only in the closed view the blinding gate allows;
/// immutability in the database; one summary per job period; the HTML report's safety and charts.
/// </summary>
public sealed partial class SafetySummaryTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string HostileTerm = "<script>alert('x')</script> & \"rash\"";

    private static readonly ConditionalWeakTable<EdcApiFactory, Task<Scenario>> Scenarios = new();

    private static string Today => DateTime.UtcNow.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task PostSummary_ForAKnownTrial_CountsEveryFigurePooled()
    {
        var s = await ScenarioAsync();

        var summary = await s.Dsmb.GetJsonAsync($"{s.Summaries}/{s.SummaryId}");
        var content = summary.GetProperty("content");

        Assert.Equal("open", summary.GetProperty("view").GetString());
        Assert.Equal(["Pooled", "Group A", "Group B"], content.GetProperty("columns").EnumerateArray().Select(c => c.GetString()));
        var screening = content.GetProperty("screening");
        Assert.Equal(9, screening.GetProperty("registered").GetInt32());
        Assert.Equal(1, screening.GetProperty("screenFailed").GetInt32());
        Assert.Equal(7, screening.GetProperty("enrolled").GetInt32());
        Assert.Equal(6, screening.GetProperty("randomized").GetInt32());
        Assert.Equal(1, screening.GetProperty("awaitingRandomization").GetInt32());
        Assert.Equal(1, screening.GetProperty("adverseEventsBeforeRandomization").GetInt32());

        var pooled = Cell(content, "participants", "Pooled");
        Assert.Equal(6, pooled.GetProperty("randomized").GetInt32());
        Assert.Equal(2, pooled.GetProperty("withdrawn").GetInt32());
        Assert.Equal(1, pooled.GetProperty("withdrawnDueToAdverseEvent").GetInt32());
        Assert.Equal(1, pooled.GetProperty("deaths").GetInt32());
        Assert.Equal(0, pooled.GetProperty("completed").GetInt32());
        Assert.Equal(4, pooled.GetProperty("infusionsGiven").GetInt32());
        Assert.Equal(4, pooled.GetProperty("withAdverseEvent").GetInt32());
        Assert.Equal(2, pooled.GetProperty("withSeriousAdverseEvent").GetInt32());

        var events = Cell(content, "adverseEvents", "Pooled");
        Assert.Equal(6, events.GetProperty("events").GetInt32());
        Assert.Equal(2, events.GetProperty("serious").GetInt32());
        Assert.Equal(2, events.GetProperty("related").GetInt32());
        Assert.Equal(1, events.GetProperty("susars").GetInt32());
        Assert.Equal(1, events.GetProperty("fatal").GetInt32());

        // Terms are grouped ignoring case and surrounding spaces; the most frequent first.
        var terms = content.GetProperty("adverseEventsByTerm").EnumerateArray().ToList();
        Assert.Equal("headache", terms[0].GetProperty("term").GetString(), ignoreCase: true);
        Assert.Equal((2, 2), TermCell(terms[0], "Pooled"));
        Assert.Equal(5, terms.Count);

        var grades = content.GetProperty("maximumGrade").EnumerateArray()
            .ToDictionary(g => g.GetProperty("grade").GetInt32(), g => g.GetProperty("counts")[0].GetProperty("participants").GetInt32());
        Assert.Equal(new Dictionary<int, int> { [1] = 1, [2] = 1, [3] = 1, [4] = 0, [5] = 1 }, grades);

        var reporting = Cell(content, "seriousEventReporting", "Pooled");
        Assert.Equal(2, reporting.GetProperty("sponsor").GetProperty("required").GetInt32());
        Assert.Equal(1, reporting.GetProperty("sponsor").GetProperty("onTime").GetInt32());
        Assert.Equal(1, reporting.GetProperty("sponsor").GetProperty("pending").GetInt32());
        Assert.Equal(1, reporting.GetProperty("regulator").GetProperty("required").GetInt32());
        Assert.Equal(1, reporting.GetProperty("regulator").GetProperty("pending").GetInt32());

        var mrss = content.GetProperty("mrssByVisit").EnumerateArray().ToDictionary(v => v.GetProperty("visitCode").GetString()!, v => v.GetProperty("counts")[0]);
        Assert.Equal(["D0", "W4"], mrss.Keys);
        Assert.Equal(3, mrss["D0"].GetProperty("n").GetInt32());
        Assert.Equal(17, mrss["D0"].GetProperty("median").GetDouble());
        Assert.Equal(8.5, mrss["D0"].GetProperty("q1").GetDouble());
        Assert.Equal(25.5, mrss["D0"].GetProperty("q3").GetDouble());
        Assert.Equal(1, mrss["W4"].GetProperty("n").GetInt32());
        Assert.Equal(34, mrss["W4"].GetProperty("median").GetDouble());

        var timeline = content.GetProperty("seriousEventTimeline").EnumerateArray().ToList();
        Assert.Equal(2, timeline.Sum(d => d.GetProperty("events").GetInt32()));
        Assert.Equal(1, timeline.Sum(d => d.GetProperty("fatal").GetInt32()));
    }

    [Fact]
    public async Task PostSummary_ByMaskedGroup_MatchesTheAssignmentsAndAddsUpToPooled()
    {
        var s = await ScenarioAsync();
        var content = (await s.Statistician.GetJsonAsync($"{s.Summaries}/{s.SummaryId}")).GetProperty("content");

        // Every count of every group adds up to the pooled one.
        foreach (var section in new[] { "participants", "adverseEvents" })
        {
            var cells = content.GetProperty(section).EnumerateArray().ToDictionary(c => c.GetProperty("column").GetString()!);
            foreach (var field in cells["Pooled"].EnumerateObject().Where(f => f.Value.ValueKind == JsonValueKind.Number))
            {
                Assert.Equal(field.Value.GetInt32(), cells["Group A"].GetProperty(field.Name).GetInt32() + cells["Group B"].GetProperty(field.Name).GetInt32());
            }
        }

        foreach (var term in content.GetProperty("adverseEventsByTerm").EnumerateArray())
        {
            var pooled = TermCell(term, "Pooled");
            Assert.Equal(pooled.Events, TermCell(term, "Group A").Events + TermCell(term, "Group B").Events);
        }

        // And each group holds exactly its participants, as the statistician's list assigns them.
        string GroupOf(Guid participant) => s.GroupKey.Single(k => k.Value == s.ArmOf[participant]).Key;
        foreach (var label in new[] { "Group A", "Group B" })
        {
            var members = s.Randomized.Where(p => GroupOf(p) == label).ToList();
            var cell = Cell(content, "participants", label);
            Assert.Equal(members.Count, cell.GetProperty("randomized").GetInt32());
            Assert.Equal(members.Contains(s.Died) ? 1 : 0, cell.GetProperty("deaths").GetInt32());
            Assert.Equal(members.Contains(s.WithdrawnForAe) ? 1 : 0, cell.GetProperty("withdrawnDueToAdverseEvent").GetInt32());
            Assert.Equal(members.Sum(p => s.Infusions.GetValueOrDefault(p)), cell.GetProperty("infusionsGiven").GetInt32());
            Assert.Equal(members.Sum(p => s.Events.GetValueOrDefault(p)), Cell(content, "adverseEvents", label).GetProperty("events").GetInt32());
        }
    }

    [Fact]
    public async Task ListAndReadSummaries_AsBoardMember_ShowMaskedGroupsOnly()
    {
        var s = await ScenarioAsync();

        var list = await s.Dsmb.GetAsync($"{s.Summaries}?pageSize=200");
        var json = await s.Dsmb.GetAsync($"{s.Summaries}/{s.SummaryId}");
        var report = await s.Dsmb.GetAsync($"{s.Summaries}/{s.SummaryId}/report");

        foreach (var response in new[] { list, json, report })
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            AssertNoArmStrings(await response.Content.ReadAsStringAsync() + response.Headers + response.Content.Headers);
        }

        var page = await list.JsonAsync();
        Assert.Contains(page.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetGuid() == s.SummaryId);
        Assert.True(page.GetProperty("total").GetInt32() >= 1);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("Group A", html, StringComparison.Ordinal);
        Assert.Contains("Group B", html, StringComparison.Ordinal);
        Assert.DoesNotContain("CLOSED", html, StringComparison.Ordinal);
        Assert.False((await json.JsonAsync()).TryGetProperty("unblinded", out var unblinded) && unblinded.ValueKind != JsonValueKind.Null);

        await (await s.Dsmb.GetAsync($"{s.Summaries}/{s.SummaryId}/report?view=unmasked")).AssertProblemAsync(HttpStatusCode.BadRequest);

        // The closed view is refused before any unblinding request is approved, naming no arm.
        foreach (var path in new[] { $"{s.Summaries}/{s.SummaryId}?view=closed", $"{s.Summaries}/{s.SummaryId}/report?view=closed" })
        {
            var closed = await s.Dsmb.GetAsync(path);
            await closed.AssertProblemAsync(HttpStatusCode.Forbidden);
            AssertNoArmStrings(await closed.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task ClosedReport_ForStatistician_ShowsRealArmsWithTheBanner()
    {
        var s = await ScenarioAsync();

        var report = await s.Statistician.GetAsync($"{s.Summaries}/{s.SummaryId}/report?view=closed");
        var json = await s.Statistician.GetJsonAsync($"{s.Summaries}/{s.SummaryId}?view=closed");
        var open = await s.Statistician.GetAsync($"{s.Summaries}/{s.SummaryId}/report");

        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var html = await report.Content.ReadAsStringAsync();
        Assert.Contains("CLOSED — UNBLINDED", html, StringComparison.Ordinal);
        Assert.Contains(DistinctiveTrial.ActiveName, html, StringComparison.Ordinal);
        Assert.Contains(DistinctiveTrial.PlaceboName, html, StringComparison.Ordinal);
        Assert.Equal("closed", json.GetProperty("view").GetString());
        var unblinded = json.GetProperty("unblinded").EnumerateArray()
            .ToDictionary(u => u.GetProperty("column").GetString()!, u => u.GetProperty("armCode").GetString()!);
        Assert.Equal(s.GroupKey, unblinded);

        // The default view stays open, even for the statistician: it is the report the open session shares.
        AssertNoArmStrings(await open.Content.ReadAsStringAsync());

        // Reading the closed view is audited, without the key.
        var audited = await Sql.ScalarAsync<long>(
            api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE action = 'ClosedReportRead' AND entity_id = @p", s.SummaryId.ToString());
        Assert.True(audited >= 2);
    }

    [Fact]
    public async Task ClosedReport_ForBoardMember_OnlyAfterTheStatisticianApprovesARequest()
    {
        var s = await ScenarioAsync();
        var admin = await api.AdminAsync();
        var trial = await CreateTrialAsync(admin, ["ZC"]);
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, trial.Sites["ZC"]);
        await s.Statistician.CreateListAsync(trial.Id, seed: 99, slotsPerStratum: 8);
        await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, trial.Sites["ZC"], level: null);
        await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, trial.Sites["ZC"], level: null);
        var summaries = $"/api/trials/{trial.Id}/safety-summaries";
        var created = await s.Dsmb.PostAsync(summaries, null);
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var id = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var closedPath = $"{summaries}/{id}/report?view=closed";

        await (await s.Dsmb.GetAsync(closedPath)).AssertProblemAsync(HttpStatusCode.Forbidden);
        var request = await s.Dsmb.PostAsJsonAsync($"/api/trials/{trial.Id}/unblinding-requests", new { justification = "Imbalance in deaths" });
        var requestId = (await request.JsonAsync()).GetProperty("id").GetGuid();
        await (await s.Dsmb.GetAsync(closedPath)).AssertProblemAsync(HttpStatusCode.Forbidden);

        // A rejected request opens nothing; an approved one (of any member of the board) opens the closed view.
        var other = await s.Dsmb.PostAsJsonAsync($"/api/trials/{trial.Id}/unblinding-requests", new { justification = "Second look" });
        var otherId = (await other.JsonAsync()).GetProperty("id").GetGuid();
        await s.Statistician.PostAsJsonAsync($"/api/trials/{trial.Id}/unblinding-requests/{otherId}/decision", new { approve = false, comment = "Not needed" });
        await (await s.Dsmb.GetAsync(closedPath)).AssertProblemAsync(HttpStatusCode.Forbidden);

        var decision = await s.Statistician.PostAsJsonAsync(
            $"/api/trials/{trial.Id}/unblinding-requests/{requestId}/decision", new { approve = true, comment = "Closed session" });
        Assert.Equal(HttpStatusCode.OK, decision.StatusCode);
        var anotherMember = await api.ClientForNewUserAsync(admin, Roles.DsmbMember);

        foreach (var member in new[] { s.Dsmb, anotherMember })
        {
            var closed = await member.GetAsync(closedPath);
            Assert.Equal(HttpStatusCode.OK, closed.StatusCode);
            var html = await closed.Content.ReadAsStringAsync();
            Assert.Contains("CLOSED — UNBLINDED", html, StringComparison.Ordinal);
            Assert.Contains(DistinctiveTrial.ActiveName, html, StringComparison.Ordinal);

            // The open report is still open.
            AssertNoArmStrings(await (await member.GetAsync($"{summaries}/{id}/report")).Content.ReadAsStringAsync());
        }

        // The approval is for that trial only.
        await (await s.Dsmb.GetAsync($"{s.Summaries}/{s.SummaryId}/report?view=closed")).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task Summary_InTheDatabase_RefusesUpdateDeleteAndTruncate()
    {
        var s = await ScenarioAsync();
        var before = await Sql.ScalarAsync<string>(api.ConnectionString, "SELECT content::text FROM safety_summaries WHERE id = @p", s.SummaryId);

        foreach (var sql in new[]
        {
            "UPDATE safety_summaries SET content = '{}'::jsonb WHERE id = @p",
            "UPDATE safety_summaries SET data_cutoff = data_cutoff - interval '1 day' WHERE id = @p",
            "DELETE FROM safety_summaries WHERE id = @p",
        })
        {
            var refused = await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(api.ConnectionString, sql, s.SummaryId));
            Assert.Equal(PostgresErrorCodes.InsufficientPrivilege, refused.SqlState);
        }

        await Assert.ThrowsAsync<PostgresException>(() => Sql.ExecuteAsync(api.ConnectionString, "TRUNCATE safety_summaries"));
        Assert.Equal(before, await Sql.ScalarAsync<string>(api.ConnectionString, "SELECT content::text FROM safety_summaries WHERE id = @p", s.SummaryId));

        // The stored hash is the content's, and the generation is in the audit trail (the content itself sealed).
        var hash = await Sql.ScalarAsync<string>(api.ConnectionString, "SELECT content_sha256 FROM safety_summaries WHERE id = @p", s.SummaryId);
        Assert.Equal(Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(before))), hash);
        var audited = await Sql.ScalarAsync<long>(
            api.ConnectionString,
            "SELECT count(*) FROM audit_entries WHERE entity_type = 'SafetySummary' AND action = 'Insert' AND entity_id = @p AND (field <> 'Content' OR new_value = '[sealed]')",
            s.SummaryId.ToString());
        Assert.True(audited >= 5, $"{audited} audit rows");
    }

    [Fact]
    public async Task GenerateFromAJob_TwiceForOnePeriod_CreatesOneSummary()
    {
        var s = await ScenarioAsync();
        var period = "2026-W" + Random.Shared.Next(10, 99).ToString(CultureInfo.InvariantCulture) + "-" + Guid.NewGuid().ToString("N")[..6];

        async Task<GenerateSafetySummary.Result> SendAsync()
        {
            // As the scheduler's job will: its own scope, nobody signed in.
            await using var scope = api.Services.CreateAsyncScope();
            return await scope.ServiceProvider.GetRequiredService<IMediator>()
                .Send(new GenerateSafetySummary.Command(s.TrialId, period, "SafetySummaryJob"));
        }

        var results = await Task.WhenAll(SendAsync(), SendAsync());
        var third = await SendAsync();

        Assert.Single(results.Concat([third]).Select(r => r.Summary.Id).Distinct());
        Assert.Equal(1, results.Count(r => r.Created));
        Assert.False(third.Created);
        Assert.Equal(1L, await Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM safety_summaries WHERE period_key = @p", period));
        var item = (await s.Dsmb.GetJsonAsync($"{s.Summaries}?pageSize=200")).GetProperty("items").EnumerateArray()
            .Single(i => i.GetProperty("id").GetGuid() == third.Summary.Id);
        Assert.Equal("SafetySummaryJob", item.GetProperty("generatedByJob").GetString());
        Assert.Equal(period, item.GetProperty("period").GetString());
        Assert.Equal(JsonValueKind.Null, item.GetProperty("generatedBy").ValueKind);
    }

    [Fact]
    public async Task Summary_GeneratedBeforeAnEvent_DoesNotCountIt()
    {
        var s = await ScenarioAsync();
        var first = await s.Dsmb.PostAsync(s.Summaries, null);
        var firstId = (await first.JsonAsync()).GetProperty("id").GetGuid();
        var eventsBefore = Cell((await s.Dsmb.GetJsonAsync($"{s.Summaries}/{firstId}")).GetProperty("content"), "adverseEvents", "Pooled").GetProperty("events").GetInt32();

        await RecordAeAsync(s.Coordinator, s.TrialId, s.Untouched, "Late arthralgia", grade: 1);
        var second = await s.Statistician.PostAsync(s.Summaries, null);
        var secondBody = await second.JsonAsync();

        var firstAgain = (await s.Dsmb.GetJsonAsync($"{s.Summaries}/{firstId}")).GetProperty("content");
        var secondContent = (await s.Dsmb.GetJsonAsync($"{s.Summaries}/{secondBody.GetProperty("id").GetGuid()}")).GetProperty("content");
        Assert.Equal(eventsBefore, Cell(firstAgain, "adverseEvents", "Pooled").GetProperty("events").GetInt32());
        Assert.DoesNotContain(firstAgain.GetProperty("adverseEventsByTerm").EnumerateArray(), t => t.GetProperty("term").GetString() == "Late arthralgia");
        Assert.Equal(eventsBefore + 1, Cell(secondContent, "adverseEvents", "Pooled").GetProperty("events").GetInt32());

        // Newest first, and who generated each.
        var items = (await s.Dsmb.GetJsonAsync($"{s.Summaries}?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var cutoffs = items.Select(i => i.GetProperty("dataCutoff").GetDateTimeOffset()).ToList();
        Assert.Equal(cutoffs.OrderDescending(), cutoffs);
        Assert.Equal(secondBody.GetProperty("id").GetGuid(), items[0].GetProperty("id").GetGuid());
        Assert.Equal(s.StatisticianId, items[0].GetProperty("generatedBy").GetGuid());
    }

    [Fact]
    public async Task SummaryEndpoints_ForSiteRolesAndAdmin_Answer403()
    {
        var s = await ScenarioAsync();
        var admin = await api.AdminAsync();
        var site = s.SiteId;
        var clients = new[]
        {
            s.Coordinator,
            await api.ClientForNewUserAsync(admin, Roles.Investigator, site),
            await api.ClientForNewUserAsync(admin, Roles.Pharmacist, site),
            admin,
        };

        foreach (var client in clients)
        {
            await (await client.GetAsync(s.Summaries)).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync($"{s.Summaries}/{s.SummaryId}")).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.GetAsync($"{s.Summaries}/{s.SummaryId}/report")).AssertProblemAsync(HttpStatusCode.Forbidden);
            await (await client.PostAsync(s.Summaries, null)).AssertProblemAsync(HttpStatusCode.Forbidden);
        }

        // Unknown summaries and trials are 404 for the board.
        await (await s.Dsmb.GetAsync($"{s.Summaries}/{Guid.NewGuid()}/report")).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await s.Dsmb.PostAsync($"/api/trials/{Guid.NewGuid()}/safety-summaries", null)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Report_IsSelfContainedHtmlWithChartsAndEncodedText()
    {
        var s = await ScenarioAsync();

        var response = await s.Dsmb.GetAsync($"{s.Summaries}/{s.SummaryId}/report");
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("script-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.Contains("@page { size: A4", html, StringComparison.Ordinal);

        // Nothing runs and nothing is fetched: no script, no external reference of any kind.
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);
        Assert.DoesNotContain(HostileTerm, html, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", html, StringComparison.Ordinal);

        // Three charts with their data points: bars per group, MRSS medians per group with IQR bands, SAE dots.
        Assert.Contains("<svg id=\"chart-incidence\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"chart-mrss\"", html, StringComparison.Ordinal);
        Assert.Contains("<svg id=\"chart-sae-timeline\"", html, StringComparison.Ordinal);
        foreach (var group in new[] { "Group A", "Group B" })
        {
            Assert.Contains($"class=\"bar\" data-series=\"{group}\"", html, StringComparison.Ordinal);
        }

        Assert.True(Regex.Count(html, "<circle class=\"point\" data-series=\"Group [AB]\"") >= 2, "MRSS points");
        Assert.True(Regex.Count(html, "<polygon class=\"iqr\"") >= 1, "IQR band");
        Assert.True(Regex.Count(html, "<circle class=\"point sae\"") >= 1, "SAE dots");
        Assert.True(Regex.Count(html, "<table") >= 8, "a table for every figure");
    }

    [Fact]
    public async Task Report_InHeadlessChromium_RendersTheCharts()
    {
        // Needs Debian's chromium package; without it the HTML checks of the test above still hold and this says so.
        var s = await ScenarioAsync();
        var html = await (await s.Statistician.GetAsync($"{s.Summaries}/{s.SummaryId}/report")).Content.ReadAsStringAsync();
        Assert.Contains("<svg id=\"chart-mrss\"", html, StringComparison.Ordinal);
        var chromium = new[] { "/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome" }.FirstOrDefault(File.Exists);
        if (chromium is null)
        {
            Console.WriteLine("Chromium is not installed: the report was not rendered in a browser (apt-get install chromium).");
            return;
        }

        var folder = Directory.CreateTempSubdirectory("edc-report-");
        try
        {
            var page = Path.Combine(folder.FullName, "report.html");
            var png = Path.Combine(folder.FullName, "report.png");
            await File.WriteAllTextAsync(page, html);
            using var process = Process.Start(new ProcessStartInfo(chromium)
            {
                ArgumentList = { "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", $"--user-data-dir={Path.Combine(folder.FullName, "profile")}", $"--screenshot={png}", "--window-size=1240,1754", new Uri(page).AbsoluteUri },
                RedirectStandardError = true,
                RedirectStandardOutput = true,
            })!;
            var stderr = process.StandardError.ReadToEndAsync();
            var stdout = process.StandardOutput.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                process.Kill(entireProcessTree: true);
                throw;
            }

            await Task.WhenAll(stderr, stdout);

            Assert.True(File.Exists(png), "no screenshot: " + await stderr);
            var bytes = await File.ReadAllBytesAsync(png);
            Assert.Equal(new byte[] { 0x89, (byte)'P', (byte)'N', (byte)'G' }, bytes[..4]);
            Assert.True(bytes.Length > 30_000, $"the screenshot is nearly empty ({bytes.Length} bytes)");
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    // ---- Helpers ----

    private static void AssertNoArmStrings(string text)
    {
        foreach (var secret in DistinctiveTrial.ArmStrings)
        {
            Assert.DoesNotContain(secret, text, StringComparison.OrdinalIgnoreCase);
        }
    }

    private static JsonElement Cell(JsonElement content, string section, string column) =>
        content.GetProperty(section).EnumerateArray().Single(c => c.GetProperty("column").GetString() == column);

    private static (int Events, int Participants) TermCell(JsonElement term, string column)
    {
        var cell = term.GetProperty("counts").EnumerateArray().Single(c => c.GetProperty("column").GetString() == column);
        return (cell.GetProperty("events").GetInt32(), cell.GetProperty("participants").GetInt32());
    }

    [GeneratedRegex("""(?:src|href|action|xlink:href)\s*=|url\(|@import|https?://(?!www\.w3\.org/2000/svg")""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    private static async Task<Guid> RecordAeAsync(
        HttpClient client, Guid trialId, Guid participantId, string term, int grade, bool serious = false, string[]? criteria = null,
        string relatedness = "NotRelated", string actionTaken = "DoseNotChanged", string outcome = "NotRecovered")
    {
        var fatal = grade == 5;
        var response = await client.PostAsJsonAsync($"/api/trials/{trialId}/participants/{participantId}/adverse-events", new
        {
            term,
            onsetDate = Today,
            endDate = fatal ? Today : null,
            ongoing = !fatal,
            grade,
            serious,
            seriousnessCriteria = criteria ?? [],
            relatedness,
            actionTaken,
            outcome,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    private static Dictionary<string, int> Scores(int all) =>
        new[]
        {
            "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
            "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
        }.ToDictionary(a => a, _ => all, StringComparer.Ordinal);

    /// <summary>A trial with the distinctive arms, visits D0 and W4 with MRSS and infusion, unstratified.</summary>
    private static async Task<DistinctiveTrial.Created> CreateTrialAsync(HttpClient admin, string[] siteCodes)
    {
        var code = "SS-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        string[] procedures = ["Mrss", "Infusion"];
        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code,
            title = "Safety summary trial " + code,
            arms = new[]
            {
                new { code = DistinctiveTrial.ActiveCode, name = DistinctiveTrial.ActiveName, ratio = 1 },
                new { code = DistinctiveTrial.PlaceboCode, name = DistinctiveTrial.PlaceboName, ratio = 1 },
            },
            visitDefinitions = new[]
            {
                new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures },
                new { code = "W4", name = "Week 4", day = 28, windowBefore = 3, windowAfter = 3, procedures },
            },
            eligibilityCriteria = new[]
            {
                new { code = DistinctiveTrial.InclusionCode, kind = "Inclusion", text = "Aged 18 or older" },
                new { code = DistinctiveTrial.ExclusionCode, kind = "Exclusion", text = "Pregnant or breastfeeding" },
            },
            stratificationFactors = Array.Empty<object>(),
            sites = siteCodes.Select(s => new { code = s, name = "Hospital " + s }).ToArray(),
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var sites = await admin.GetJsonAsync($"/api/trials/{id}/sites?pageSize=200");
        return new DistinctiveTrial.Created(id, code, sites.GetProperty("items").EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("id").GetGuid(), StringComparer.Ordinal));
    }

    private Task<Scenario> ScenarioAsync() => Scenarios.GetValue(api, Scenario.CreateAsync);

    /// <summary>
    /// Nine participants: six randomized (two withdrawn, one of them for an adverse event; one dead of a fatal event;
    /// MRSS and infusions for three), one screen failure, one enrolled and not randomized (with an event), one screening.
    /// </summary>
    private sealed record Scenario(
        HttpClient Dsmb,
        HttpClient Statistician,
        Guid StatisticianId,
        HttpClient Coordinator,
        Guid TrialId,
        Guid SiteId,
        string Summaries,
        Guid SummaryId,
        IReadOnlyList<Guid> Randomized,
        Guid Died,
        Guid WithdrawnForAe,
        Guid Untouched,
        Dictionary<Guid, int> Infusions,
        Dictionary<Guid, int> Events,
        Dictionary<Guid, string> ArmOf,
        Dictionary<string, string> GroupKey)
    {
        public static async Task<Scenario> CreateAsync(EdcApiFactory api)
        {
            var admin = await api.AdminAsync();
            var trial = await CreateTrialAsync(admin, ["ZS"]);
            var site = trial.Sites["ZS"];
            var (statisticianId, statisticianEmail) = await admin.CreateUserAsync([Roles.UnblindedStatistician]);
            var statistician = await api.LoginAsync(statisticianEmail, TestData.UserPassword);
            var dsmb = await api.ClientForNewUserAsync(admin, Roles.DsmbMember);
            var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, site);
            await statistician.CreateListAsync(trial.Id, seed: 4242, slotsPerStratum: 12);

            var kits = new Dictionary<Guid, string>();
            var randomized = new List<Guid>();
            for (var i = 0; i < 6; i++)
            {
                var id = await coordinator.EnrolledAsync(trial.Id, site);
                var response = await coordinator.RandomizeAsync(trial.Id, id);
                Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
                kits[id] = (await response.JsonAsync()).GetProperty("kitNumber").GetString()!;
                randomized.Add(id);
            }

            var (p1, p2, p3, p4, _, p6) = (randomized[0], randomized[1], randomized[2], randomized[3], randomized[4], randomized[5]);
            string P(Guid p) => $"/api/trials/{trial.Id}/participants/{p}";

            // MRSS: 17 and 34 at Day 0 then 34 at week 4 for the first, 34 for the second, 0 for the third.
            foreach (var (p, visit, score) in new[] { (p1, "D0", 1), (p1, "W4", 2), (p2, "D0", 2), (p3, "D0", 0) })
            {
                var mrss = await coordinator.PutAsJsonAsync($"{P(p)}/visits/{visit}/mrss", new { assessedOn = Today, assessorName = "Dr Skin", scores = Scores(score) });
                Assert.True(mrss.IsSuccessStatusCode, await mrss.Content.ReadAsStringAsync());
            }

            // Infusions: two for the first, one each for the second and third; one recorded as not given.
            var infusions = new Dictionary<Guid, int> { [p1] = 2, [p2] = 1, [p3] = 1 };
            foreach (var (p, visit) in new[] { (p1, "D0"), (p1, "W4"), (p2, "D0"), (p3, "D0") })
            {
                var given = await coordinator.PutAsJsonAsync($"{P(p)}/visits/{visit}/infusion", new { administeredAt = DateTimeOffset.UtcNow.AddMinutes(-5), kitNumber = kits[p] });
                Assert.True(given.IsSuccessStatusCode, await given.Content.ReadAsStringAsync());
            }

            var notGiven = await coordinator.PutAsJsonAsync($"{P(p4)}/visits/D0/infusion", new { notAdministeredReason = "Vein access failed" });
            Assert.True(notGiven.IsSuccessStatusCode, await notGiven.Content.ReadAsStringAsync());

            // Adverse events: a SUSAR (reported to the sponsor on time), headaches spelled two ways (one leading to
            // withdrawal of the drug), a fatal event, a related non-serious one, and a term that is an HTML attack.
            await RecordAeAsync(coordinator, trial.Id, p1, "Headache", grade: 1);
            var susar = await RecordAeAsync(coordinator, trial.Id, p1, "Pneumonia", grade: 3, serious: true, criteria: ["Hospitalization"], relatedness: "Probable");
            await RecordAeAsync(coordinator, trial.Id, p2, " HEADACHE ", grade: 2, actionTaken: "DrugWithdrawn");
            await RecordAeAsync(coordinator, trial.Id, p3, "Myocardial infarction", grade: 5, serious: true, criteria: ["Death"], outcome: "Fatal");
            await RecordAeAsync(coordinator, trial.Id, p6, "Nausea", grade: 1, relatedness: "Possible");
            await RecordAeAsync(coordinator, trial.Id, p6, HostileTerm, grade: 1);
            var events = new Dictionary<Guid, int> { [p1] = 2, [p2] = 1, [p3] = 1, [p6] = 2 };
            var sent = await admin.PostAsJsonAsync($"/api/trials/{trial.Id}/adverse-events/{susar}/expedited-reports", new { recipient = "Sponsor", sentAt = DateTimeOffset.UtcNow });
            Assert.True(sent.IsSuccessStatusCode, await sent.Content.ReadAsStringAsync());

            foreach (var (p, reason) in new[] { (p2, "Could not tolerate the study drug"), (p4, "Moved abroad") })
            {
                var withdrawal = await coordinator.PostAsJsonAsync($"{P(p)}/withdrawal", new { date = Today, reason });
                Assert.True(withdrawal.IsSuccessStatusCode, await withdrawal.Content.ReadAsStringAsync());
            }

            // Outside the randomized population: a screen failure, one enrolled awaiting randomization (with an event), one screening.
            var failed = await coordinator.RegisterAsync(trial.Id, site);
            var failedEnrollment = await coordinator.PostAsJsonAsync($"{P(failed)}/enrollment", new
            {
                consentDate = "2026-01-15",
                eligibility = new Dictionary<string, bool> { [DistinctiveTrial.InclusionCode] = false, [DistinctiveTrial.ExclusionCode] = false },
                strata = new { },
            });
            Assert.Equal(HttpStatusCode.Conflict, failedEnrollment.StatusCode);
            var waiting = await coordinator.EnrolledAsync(trial.Id, site);
            await RecordAeAsync(coordinator, trial.Id, waiting, "Rash", grade: 1);
            await coordinator.RegisterAsync(trial.Id, site);

            var summaries = $"/api/trials/{trial.Id}/safety-summaries";
            var created = await dsmb.PostAsync(summaries, null);
            Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
            var summaryId = (await created.JsonAsync()).GetProperty("id").GetGuid();
            Assert.Equal($"{summaries}/{summaryId}", created.Headers.Location?.OriginalString);
            AssertNoArmStrings(await created.Content.ReadAsStringAsync());

            var (armOf, groupKey, _) = await DistinctiveTrial.ReadListAsync(statistician, trial.Id);
            return new Scenario(
                dsmb, statistician, statisticianId, coordinator, trial.Id, site, summaries, summaryId, randomized, p3, p2, randomized[4],
                infusions, events, armOf, groupKey);
        }
    }
}

using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// The primary analysis as an HTML report: the same readers, groups and audit as the analysis itself, its numbers as a
/// journal prints them, a paired plot per group, the audit trail's head, and nothing that runs or loads.
/// </summary>
public sealed partial class PrimaryAnalysisReportTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const string Minus = "\u2212";

    [Fact]
    public async Task Report_ForTheStatistician_IsByArm_AndPrintsTheAnalysisAsAJournalDoes()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);
        var readsBefore = await AnalysisReadsAsync(s);

        var response = await s.Statistician.GetAsync(s.Report);
        var html = await response.Content.ReadAsStringAsync();
        var text = WebUtility.HtmlDecode(html);

        // The reading by arm is audited once, as a reading of the analysis.
        Assert.Equal(readsBefore + 1, await AnalysisReadsAsync(s));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("utf-8", response.Content.Headers.ContentType?.CharSet);
        Assert.Contains("<h1>Change in MRSS total from Day 0 to Week 4</h1>", html, StringComparison.Ordinal);
        Assert.Contains($"{DistinctiveTrial.ActiveName}<br><span class=\"sub\">n = 4</span>", html, StringComparison.Ordinal);
        Assert.Contains($"{DistinctiveTrial.PlaceboName}<br><span class=\"sub\">n = 4</span>", html, StringComparison.Ordinal);

        // The active group's figures, worked out by hand (Hyndman-Fan type 6), with a true minus sign.
        Assert.Contains("27 (24.5, 31)", text, StringComparison.Ordinal);
        Assert.Contains("17.5 (14.75, 23.25)", text, StringComparison.Ordinal);
        Assert.Contains($"{Minus}9.5 ({Minus}10, {Minus}7.5)", text, StringComparison.Ordinal);

        // Every figure of the analysis as the API answers it, in the report.
        var analysis = await s.Statistician.GetJsonAsync(s.Analysis);
        foreach (var group in analysis.GetProperty("groups").EnumerateArray())
        {
            foreach (var figure in new[] { "baseline", "final", "change" })
            {
                var q = group.GetProperty(figure);
                Assert.Contains($"{Journal(q.GetProperty("median"))} ({Journal(q.GetProperty("q1"))}, {Journal(q.GetProperty("q3"))})", text, StringComparison.Ordinal);
            }

            Assert.Contains(Test(group.GetProperty("withinGroup"), "V"), text, StringComparison.Ordinal);
        }

        var between = analysis.GetProperty("betweenGroups");
        Assert.Contains(Test(between, "W"), text, StringComparison.Ordinal);
        Assert.Contains(
            $"Hodges-Lehmann difference in change, {DistinctiveTrial.ActiveName} {Minus} {DistinctiveTrial.PlaceboName} (95% CI)</th><td class=\"num spanning\" colspan=\"2\">"
            + $"{Journal(between.GetProperty("difference"))} ({Journal(between.GetProperty("lower"))}, {Journal(between.GetProperty("upper"))})</td>",
            text,
            StringComparison.Ordinal);

        // Adverse events of each group's randomized participants; the population and the one excluded, with the reason.
        Assert.Contains("<th scope=\"row\">Events</th><td class=\"num\">3</td><td class=\"num\">1</td>", text, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Participants with ≥1 event</th><td class=\"num\">2</td><td class=\"num\">1</td>", text, StringComparison.Ordinal);
        Assert.Contains("<th scope=\"row\">Serious events</th><td class=\"num\">0</td><td class=\"num\">0</td>", text, StringComparison.Ordinal);
        Assert.Contains("8 of 9 randomized participants have MRSS at both Day 0 and Week 4", text, StringComparison.Ordinal);
        Assert.Contains("W4 not reached yet: 1", text, StringComparison.Ordinal);
        Assert.Contains("Hyndman-Fan type 6", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_ByHF7_UsesThatMethodsQuartiles_AndAnUnknownMethodReturns400()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);

        var text = WebUtility.HtmlDecode(await (await s.Statistician.GetAsync(s.Report + "?quantileMethod=HF7")).Content.ReadAsStringAsync());

        Assert.Contains("27 (25.5, 29)", text, StringComparison.Ordinal);
        Assert.Contains("Hyndman-Fan type 7", text, StringComparison.Ordinal);
        Assert.DoesNotContain("27 (24.5, 31)", text, StringComparison.Ordinal);
        await (await s.Statistician.GetAsync(s.Report + "?quantileMethod=SAS5")).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task Report_ForTheBoardBeforeTheFinalUnblinding_IsByMaskedGroup_AndNamesNoArmAnywhere_NorIsAudited()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);
        var board = await api.ClientForNewUserAsync(admin, Roles.DsmbMember);
        var readsBefore = await AnalysisReadsAsync(s);

        var response = await board.GetAsync(s.Report);
        var html = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
        foreach (var secret in DistinctiveTrial.ArmStrings)
        {
            Assert.DoesNotContain(secret, html, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, WebUtility.HtmlDecode(html), StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(secret, headers, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains("Group A<br><span class=\"sub\">n = 4</span>", html, StringComparison.Ordinal);
        Assert.Contains("Group B<br><span class=\"sub\">n = 4</span>", html, StringComparison.Ordinal);
        Assert.Contains("By masked group", html, StringComparison.Ordinal);
        Assert.Equal(readsBefore, await AnalysisReadsAsync(s));
    }

    [Theory]
    [InlineData(Roles.Coordinator)]
    [InlineData(Roles.Monitor)]
    [InlineData(Roles.Pharmacist)]
    [InlineData(Roles.Admin)]
    public async Task Report_ForOtherRolesBeforeTheFinalUnblinding_Returns403(string role)
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);
        var client = role switch
        {
            Roles.Admin => admin,
            Roles.Coordinator => s.Coordinator,
            _ => await api.ClientForNewUserAsync(admin, role, Roles.SiteScoped.Contains(role) ? [s.Trial.Sites["AN"]] : []),
        };

        var response = await client.GetAsync(s.Report);

        await response.AssertProblemAsync(HttpStatusCode.Forbidden);
        Assert.DoesNotContain(DistinctiveTrial.ActiveName, await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_AfterTheFinalUnblinding_IsByArmForTheCoordinator()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);
        Assert.Equal(HttpStatusCode.OK, (await admin.PostAsync($"/api/trials/{s.Trial.Id}/lock", null)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await s.Statistician.PostAsync($"/api/trials/{s.Trial.Id}/final-unblinding", null)).StatusCode);

        var text = WebUtility.HtmlDecode(await (await s.Coordinator.GetAsync(s.Report)).Content.ReadAsStringAsync());

        Assert.Contains(DistinctiveTrial.ActiveName, text, StringComparison.Ordinal);
        Assert.Contains("By treatment arm", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Report_IsASelfContainedDocument_UnderAPolicyThatLetsNothingRunOrLoad_WithAPairedPlotPerGroup()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);

        var response = await s.Statistician.GetAsync(s.Report);
        var html = await response.Content.ReadAsStringAsync();

        var csp = string.Join(";", response.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("script-src 'none'", csp, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", csp, StringComparison.Ordinal);
        Assert.Equal("no-store", response.Headers.CacheControl?.ToString());
        Assert.StartsWith("<!DOCTYPE html>", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<script", html, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotMatch(ExternalReference(), html);

        // A plot per group, named and described for those who cannot see it, with a line per analysed participant.
        foreach (var id in new[] { "paired-plot-1", "paired-plot-2" })
        {
            var svg = Regex.Match(html, $"<svg id=\"{id}\".*?</svg>", RegexOptions.Singleline).Value;
            Assert.Matches("role=\"img\" aria-label=\"[^\"]+: MRSS at Day 0 and at Week 4, each participant\"", svg);
            Assert.Contains("<desc>4 participants, each a line", svg, StringComparison.Ordinal);
            Assert.Equal(4, Regex.Count(svg, "<g class=\"pair\">"));
            Assert.Contains("<text class=\"axis\"", svg, StringComparison.Ordinal);
            Assert.Single(Regex.Matches(svg, "<line class=\"median\""));
        }
    }

    [Fact]
    public async Task Report_NamesTheAuditTrailsHead_WhichIsItsOwnReadingByArm()
    {
        var admin = await api.AdminAsync();
        var s = await AnalysedTrial.CreateAsync(api, admin);

        var html = await (await s.Statistician.GetAsync(s.Report)).Content.ReadAsStringAsync();
        var verification = await admin.GetJsonAsync("/api/audit/verification");

        var stamped = AuditHead().Match(html);
        Assert.True(stamped.Success, "the report names no audit trail head");
        Assert.True(verification.GetProperty("intact").GetBoolean());
        Assert.Equal(verification.GetProperty("lastSequence").GetInt64(), long.Parse(stamped.Groups["sequence"].Value, CultureInfo.InvariantCulture));
        Assert.Equal(verification.GetProperty("lastHash").GetString(), stamped.Groups["hash"].Value);
        Assert.Equal(
            "AnalysisRead",
            await Sql.ScalarAsync<string>(api.ConnectionString, "SELECT action FROM audit_entries WHERE hash = @p", stamped.Groups["hash"].Value));
    }

    private Task<long> AnalysisReadsAsync(AnalysedTrial.Created s) =>
        Sql.ScalarAsync<long>(api.ConnectionString, "SELECT count(*) FROM audit_entries WHERE action = 'AnalysisRead' AND entity_id = @p", s.Trial.Id.ToString());

    /// <summary>A number as the journal prints it: up to two decimals, a true minus sign.</summary>
    private static string Journal(JsonElement number)
    {
        var value = Math.Round(number.GetDouble(), 2, MidpointRounding.AwayFromZero);
        return (value < 0 ? Minus : string.Empty) + Math.Abs(value).ToString("0.##", CultureInfo.InvariantCulture);
    }

    /// <summary>A test's P to three decimals, exact or not, and its statistic: "0.125 (exact, V = 0)".</summary>
    private static string Test(JsonElement test, string statistic) =>
        $"{test.GetProperty("pValue").GetDouble().ToString("0.000", CultureInfo.InvariantCulture)} "
        + $"({(test.GetProperty("exact").GetBoolean() ? "exact" : "normal approximation")}, {statistic} = {Journal(test.GetProperty("statistic"))})";

    [GeneratedRegex("""(?:src|href|action|xlink:href)\s*=|url\(|@import|https?://(?!www\.w3\.org/2000/svg")""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();

    [GeneratedRegex("""entry (?<sequence>\d+), hash <code class="audit-hash">(?<hash>[0-9a-f]+)</code>""")]
    private static partial Regex AuditHead();
}

using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class TrialSetupTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    public static object ValidDefinition(string code) => new
    {
        code,
        title = "A three-arm trial " + code,
        arms = new[]
        {
            new { code = "HIGH", name = "High dose", ratio = 2 },
            new { code = "LOW", name = "Low dose", ratio = 1 },
            new { code = "PBO", name = "Placebo", ratio = 1 },
        },
        visitDefinitions = new[]
        {
            new { code = "V0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = new[] { "Infusion" } },
            new { code = "V1", name = "Week 4", day = 28, windowBefore = 3, windowAfter = 5, procedures = new[] { "Mrss", "AeReview" } },
        },
        eligibilityCriteria = new[]
        {
            new { code = "INC_ADULT", kind = "Inclusion", text = "Adult." },
            new { code = "EXC_PREGNANT", kind = "Exclusion", text = "Pregnant." },
        },
        stratificationFactors = new[] { new { code = "SEX", name = "Sex", levels = new[] { "F", "M" } } },
        sites = new[] { new { code = "S1", name = "Site one" } },
    };

    [Fact]
    public async Task DemoTrial_AtFirstStart_IsCreatedFromItsDefinitionFile()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var trial = await admin.GetJsonAsync($"/api/trials/{trialId}");

        Assert.Equal("Active", trial.GetProperty("status").GetString());
        var arms = trial.GetProperty("arms").EnumerateArray().ToList();
        Assert.Equal(["BEL", "PBO"], arms.Select(a => a.GetProperty("code").GetString()));
        Assert.All(arms, a => Assert.Equal(1, a.GetProperty("ratio").GetInt32()));
        var visits = trial.GetProperty("visitDefinitions").EnumerateArray().ToList();
        Assert.Equal(16, visits.Count);
        Assert.Equal(14, visits.Count(v => v.GetProperty("procedures").EnumerateArray().Any(p => p.GetString() == "Infusion")));
        var screening = visits.Single(v => v.GetProperty("code").GetString() == "SCR");
        Assert.Equal(-28, screening.GetProperty("day").GetInt32());
        Assert.Equal(28, screening.GetProperty("windowAfter").GetInt32());
        var week52 = visits.Single(v => v.GetProperty("code").GetString() == "W52");
        Assert.Equal(364, week52.GetProperty("day").GetInt32());
        Assert.Equal(14, week52.GetProperty("windowBefore").GetInt32());
        Assert.Equal(11, trial.GetProperty("eligibilityCriteria").GetArrayLength());
        var sites = await admin.GetJsonAsync($"/api/trials/{trialId}/sites");
        Assert.Equal("HSS", Assert.Single(sites.GetProperty("items").EnumerateArray()).GetProperty("code").GetString());
    }

    [Fact]
    public async Task CreateTrial_WithAnotherDesign_IsStoredAndReadBackInTheSameShape()
    {
        var admin = await api.AdminAsync();

        var response = await admin.PostAsJsonAsync("/api/trials", ValidDefinition("THREE-ARM"));

        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        var created = await response.JsonAsync();
        var trial = await admin.GetJsonAsync(response.Headers.Location!.ToString());
        Assert.Equal(created.GetProperty("id").GetGuid(), trial.GetProperty("id").GetGuid());
        Assert.Equal([2, 1, 1], trial.GetProperty("arms").EnumerateArray().Select(a => a.GetProperty("ratio").GetInt32()));
        var visit = trial.GetProperty("visitDefinitions")[1];
        Assert.Equal(3, visit.GetProperty("windowBefore").GetInt32());
        Assert.Equal(5, visit.GetProperty("windowAfter").GetInt32());
        Assert.Equal(["Mrss", "AeReview"], visit.GetProperty("procedures").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal("Exclusion", trial.GetProperty("eligibilityCriteria")[1].GetProperty("kind").GetString());
        Assert.Equal(["F", "M"], trial.GetProperty("stratificationFactors")[0].GetProperty("levels").EnumerateArray().Select(l => l.GetString()));
        var sites = await admin.GetJsonAsync($"/api/trials/{trial.GetProperty("id").GetGuid()}/sites");
        Assert.Equal("S1", sites.GetProperty("items")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task Timestamps_AreWrittenInUtcWithZ()
    {
        var admin = await api.AdminAsync();

        var trial = await admin.GetJsonAsync($"/api/trials/{await admin.DemoTrialIdAsync()}");

        var createdAt = trial.GetProperty("createdAt").GetString()!;
        Assert.EndsWith("Z", createdAt, StringComparison.Ordinal);
        Assert.True(DateTimeOffset.Parse(createdAt, System.Globalization.CultureInfo.InvariantCulture) <= DateTimeOffset.UtcNow);
    }

    [Fact]
    public async Task CreateTrial_WithInvalidDefinition_Returns400WithEveryFieldErrorAndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var before = (await admin.GetJsonAsync("/api/trials")).GetProperty("total").GetInt32();
        var invalid = new
        {
            code = "BAD CODE!",
            title = "",
            arms = new[] { new { code = "A", name = "Arm A", ratio = 0 }, new { code = "A", name = "", ratio = 1 } },
            visitDefinitions = new[] { new { code = "V0", name = "Day 0", day = 0, windowBefore = -1, windowAfter = 0, procedures = new[] { "Infusion" } } },
            eligibilityCriteria = new[] { new { code = "C1", kind = "Maybe", text = "Text" } },
            stratificationFactors = new[] { new { code = "F", name = "Factor", levels = new[] { "only" } } },
        };

        var response = await admin.PostAsJsonAsync("/api/trials", invalid);

        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await response.JsonAsync()).GetProperty("errors");
        string[] expected =
        [
            "code", "title", "arms", "arms[0].ratio", "arms[1].name", "visitDefinitions[0].windowBefore",
            "eligibilityCriteria[0].kind", "stratificationFactors[0].levels",
        ];
        Assert.All(expected, key => Assert.True(errors.TryGetProperty(key, out _), $"no error for {key}: {errors}"));
        Assert.Equal(before, (await admin.GetJsonAsync("/api/trials")).GetProperty("total").GetInt32());
    }

    [Fact]
    public async Task CreateTrial_WithTakenCode_Returns409()
    {
        var admin = await api.AdminAsync();
        Assert.Equal(HttpStatusCode.Created, (await admin.PostAsJsonAsync("/api/trials", ValidDefinition("TWICE"))).StatusCode);

        var second = await admin.PostAsJsonAsync("/api/trials", ValidDefinition("TWICE"));

        await second.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("TrialCodeTaken", (await second.JsonAsync()).GetProperty("rule").GetString());
    }

    [Fact]
    public async Task AddSite_ToTrial_IsListedAndDuplicateCodeReturns409()
    {
        var admin = await api.AdminAsync();
        var trialId = (await (await admin.PostAsJsonAsync("/api/trials", ValidDefinition("SITES"))).JsonAsync()).GetProperty("id").GetGuid();

        var siteId = await admin.AddSiteAsync(trialId, "S2");
        var duplicate = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = "s2", name = "Again" });

        await duplicate.AssertProblemAsync(HttpStatusCode.Conflict);
        var sites = await admin.GetJsonAsync($"/api/trials/{trialId}/sites");
        Assert.Equal(["S1", "S2"], sites.GetProperty("items").EnumerateArray().Select(s => s.GetProperty("code").GetString()));
        Assert.Contains(sites.GetProperty("items").EnumerateArray(), s => s.GetProperty("id").GetGuid() == siteId);
    }

    [Fact]
    public async Task AddSite_WithMissingFields_Returns400AndToUnknownTrialReturns404()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();

        var invalid = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code = "", name = "" });
        var unknown = await admin.PostAsJsonAsync($"/api/trials/{Guid.NewGuid()}/sites", new { code = "X1", name = "X" });

        await invalid.AssertProblemAsync(HttpStatusCode.BadRequest);
        var errors = (await invalid.JsonAsync()).GetProperty("errors");
        Assert.True(errors.TryGetProperty("code", out _));
        Assert.True(errors.TryGetProperty("name", out _));
        await unknown.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task ListTrials_AsCoordinator_ShowsOnlyTrialsOfOwnSites()
    {
        var admin = await api.AdminAsync();
        var demoSite = await admin.DemoSiteIdAsync();
        await admin.PostAsJsonAsync("/api/trials", ValidDefinition("OTHER-SITES"));
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", demoSite);

        var trials = await coordinator.GetJsonAsync("/api/trials");

        var codes = trials.GetProperty("items").EnumerateArray().Select(t => t.GetProperty("code").GetString()).ToList();
        Assert.Equal([EdcApiFactory.DemoTrialCode], codes);
        Assert.Equal(JsonValueKind.Number, trials.GetProperty("total").ValueKind);
    }
}

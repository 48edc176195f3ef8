using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>A site may be a stratification factor: its level is the participant's site, each site its own sequence.</summary>
public sealed class SiteStratificationTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task Randomize_WhenTheSiteIsAFactor_DrawsFromTheSequenceOfTheParticipantsSite()
    {
        var admin = await api.AdminAsync();
        var created = await admin.PostAsJsonAsync("/api/trials", new
        {
            code = "BY-SITE",
            title = "Stratified by site",
            arms = new[] { new { code = "A", name = "Active", ratio = 1 }, new { code = "P", name = "Placebo", ratio = 1 } },
            visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = new[] { "Infusion" } } },
            eligibilityCriteria = new[] { new { code = "ADULT", kind = "Inclusion", text = "Adult." } },
            stratificationFactors = new[] { new { code = "SITE", name = "Site", levels = new[] { "NORTH", "SOUTH" } } },
            sites = new[] { new { code = "NORTH", name = "North" }, new { code = "SOUTH", name = "South" } },
        });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var trialId = (await created.JsonAsync()).GetProperty("id").GetGuid();
        var sites = (await admin.GetJsonAsync($"/api/trials/{trialId}/sites")).GetProperty("items").EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("id").GetGuid());
        await (await api.ClientForNewUserAsync(admin, "UnblindedStatistician")).CreateListAsync(trialId, seed: 7);
        var south = await api.ClientForNewUserAsync(admin, "Coordinator", sites["SOUTH"]);

        var participantId = await south.EnrolledAsync(trialId, sites["SOUTH"]);
        var randomized = await south.RandomizeAsync(trialId, participantId);
        var wrongSite = await south.RegisterAsync(trialId, sites["SOUTH"]);
        var mismatch = await south.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{wrongSite}/enrollment",
            new
            {
                consentDate = "2026-01-15",
                eligibility = new Dictionary<string, bool> { ["ADULT"] = true },
                strata = new Dictionary<string, string> { ["SITE"] = "NORTH" },
            });

        var participant = await south.GetJsonAsync($"/api/trials/{trialId}/participants/{participantId}");
        Assert.Equal("SOUTH", participant.GetProperty("strata").GetProperty("SITE").GetString());
        Assert.Equal(HttpStatusCode.OK, randomized.StatusCode);
        Assert.Equal("02-0001", (await randomized.JsonAsync()).GetProperty("randomizationNumber").GetString());
        await mismatch.AssertProblemAsync(HttpStatusCode.Conflict);
        Assert.Equal("SiteStratumMismatch", (await mismatch.JsonAsync()).GetProperty("rule").GetString());
    }
}

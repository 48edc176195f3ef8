using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>The clinical steps tests share: register, enroll and randomize participants of a trial.</summary>
public static class TrialFlows
{
    /// <summary>Answers that make a participant eligible: every inclusion criterion true, every exclusion false.</summary>
    public static async Task<Dictionary<string, bool>> EligibleAnswersAsync(this HttpClient client, Guid trialId)
    {
        var trial = await client.GetJsonAsync($"/api/trials/{trialId}");
        return trial.GetProperty("eligibilityCriteria").EnumerateArray()
            .ToDictionary(c => c.GetProperty("code").GetString()!, c => c.GetProperty("kind").GetString() == "Inclusion");
    }

    public static async Task<Guid> RegisterAsync(this HttpClient client, Guid trialId, Guid siteId)
    {
        var response = await client.PostAsJsonAsync($"/api/trials/{trialId}/participants", new { siteId, sex = "F", birthYear = 1970 });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    public static async Task<Guid> EnrolledAsync(this HttpClient client, Guid trialId, Guid siteId, object? strata = null)
    {
        var id = await client.RegisterAsync(trialId, siteId);
        var response = await client.PostAsJsonAsync(
            $"/api/trials/{trialId}/participants/{id}/enrollment",
            new { consentDate = "2026-01-15", eligibility = await client.EligibleAnswersAsync(trialId), strata = strata ?? new { } });
        Assert.True(response.StatusCode == HttpStatusCode.OK, await response.Content.ReadAsStringAsync());
        return id;
    }

    public static async Task<JsonElement> CreateListAsync(this HttpClient statistician, Guid trialId, long? seed = 42, int slotsPerStratum = 40)
    {
        var response = await statistician.PostAsJsonAsync(
            $"/api/trials/{trialId}/randomization-list", new { seed, blockSizes = new[] { 2, 4 }, slotsPerStratum });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return await response.JsonAsync();
    }

    public static Task<HttpResponseMessage> RandomizeAsync(this HttpClient client, Guid trialId, Guid participantId) =>
        client.PostAsync($"/api/trials/{trialId}/participants/{participantId}/randomization", null);
}

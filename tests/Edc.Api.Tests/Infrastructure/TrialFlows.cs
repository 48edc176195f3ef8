using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>The clinical steps tests share: register, enroll and randomize participants of a trial.</summary>
public static class TrialFlows
{
    private static readonly string[] MrssAreas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

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

    /// <summary>Enters an MRSS whose total is <paramref name="total"/> (0 to 51): each area scored 3 in turn from the face on, the last with what remains.</summary>
    public static async Task MrssTotalAsync(this HttpClient dataEntry, Guid trialId, Guid participantId, string visitCode, int total)
    {
        var scores = MrssAreas.Select((area, i) => (area, score: Math.Min(3, Math.Max(0, total - (3 * i))))).ToDictionary(x => x.area, x => x.score);
        var response = await dataEntry.PutAsJsonAsync(
            $"/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss",
            new { assessedOn = DateOnly.FromDateTime(DateTime.UtcNow), assessorName = "Dr A", scores });
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
    }
}

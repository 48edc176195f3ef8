using System.Net;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>A randomized participant of the demonstration trial's site, with the coordinator who randomized them.</summary>
public sealed record RandomizedParticipant(HttpClient Coordinator, HttpClient Admin, Guid TrialId, Guid SiteId, Guid ParticipantId, string KitNumber)
{
    public string Path => $"/api/trials/{TrialId}/participants/{ParticipantId}";

    public void Deconstruct(out HttpClient coordinator, out Guid trialId, out Guid participantId) =>
        (coordinator, trialId, participantId) = (Coordinator, TrialId, ParticipantId);

    public string Infusion(string visitCode) => $"{Path}/visits/{visitCode}/infusion";
}

public static class RandomizedParticipants
{
    /// <summary>Enrolls and randomizes a participant at the demo site (creating the randomization list when there is none).</summary>
    public static async Task<RandomizedParticipant> RandomizedAsync(this EdcApiFactory api, HttpClient? coordinator = null)
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        var siteId = await admin.DemoSiteIdAsync();
        coordinator ??= await api.ClientForNewUserAsync(admin, "Coordinator", siteId);
        var statistician = await api.ClientForNewUserAsync(admin, "UnblindedStatistician");
        if ((await statistician.GetAsync($"/api/trials/{trialId}/randomization-list")).StatusCode == HttpStatusCode.NotFound)
        {
            await statistician.CreateListAsync(trialId);
        }

        var participantId = await coordinator.EnrolledAsync(trialId, siteId);
        var randomized = await coordinator.RandomizeAsync(trialId, participantId);
        Assert.True(randomized.StatusCode == HttpStatusCode.OK, await randomized.Content.ReadAsStringAsync());
        var kitNumber = (await randomized.JsonAsync()).GetProperty("kitNumber").GetString()!;
        return new RandomizedParticipant(coordinator, admin, trialId, siteId, participantId, kitNumber);
    }
}

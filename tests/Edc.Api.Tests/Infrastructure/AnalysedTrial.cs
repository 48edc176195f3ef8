using System.Net;
using System.Net.Http.Json;
using System.Text;
using Edc.Domain.Security;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// A trial for the primary analysis whose groups are known: an unstratified <see cref="DistinctiveTrial"/> whose list,
/// imported, gives the active arm to the first four participants randomized and placebo to the next four, each with MRSS
/// at D0 and W4 (<see cref="Active"/>, <see cref="Placebo"/>), then a ninth (active) with D0 only; non-serious adverse
/// events, three in the active group (two participants) and one in the placebo group.
/// </summary>
public static class AnalysedTrial
{
    /// <summary>
    /// MRSS totals at D0 and W4. By Hyndman-Fan type 6 the active group's baseline is 27 (24.5, 31), its final 17.5 (14.75,
    /// 23.25) and its change −9.5 (−10, −7.5).
    /// </summary>
    public static readonly (int Baseline, int Final)[] Active = [(24, 14), (26, 17), (28, 18), (32, 25)];

    public static readonly (int Baseline, int Final)[] Placebo = [(22, 20), (25, 24), (28, 29), (30, 26)];

    public sealed record Created(DistinctiveTrial.Created Trial, HttpClient Statistician, HttpClient Coordinator, IReadOnlyList<Guid> Participants)
    {
        public string Analysis => $"/api/trials/{Trial.Id}/analyses/primary";

        public string Report => Analysis + "/report";
    }

    public static async Task<Created> CreateAsync(EdcApiFactory api, HttpClient admin)
    {
        var trial = await DistinctiveTrial.CreateAsync(admin, ["AN"], stratified: false);
        var site = trial.Sites["AN"];
        var statistician = await api.ClientForNewUserAsync(admin, Roles.UnblindedStatistician);
        string[] arms = [.. Active.Select(_ => DistinctiveTrial.ActiveCode), .. Placebo.Select(_ => DistinctiveTrial.PlaceboCode), DistinctiveTrial.ActiveCode];
        var csv = new StringBuilder("stratum,sequence,randomizationNumber,kitNumber,armCode\n");
        for (var i = 0; i < arms.Length; i++)
        {
            csv.Append($",{i + 1},AN-{i + 1:000},KIT-AN-{i + 1:000},{arms[i]}\n");
        }

        var imported = await statistician.PostAsync($"/api/trials/{trial.Id}/randomization-list/import", new StringContent(csv.ToString(), Encoding.UTF8, "text/csv"));
        Assert.True(imported.StatusCode == HttpStatusCode.Created, await imported.Content.ReadAsStringAsync());

        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, site);
        var participants = new List<Guid>();
        foreach (var (baseline, final) in Active.Concat(Placebo).Select(s => (s.Baseline, (int?)s.Final)).Append((30, null)))
        {
            var id = await DistinctiveTrial.ParticipantAsync(coordinator, trial.Id, site, level: null);
            await coordinator.MrssTotalAsync(trial.Id, id, "D0", baseline);
            if (final is { } total)
            {
                await coordinator.MrssTotalAsync(trial.Id, id, "W4", total);
            }

            participants.Add(id);
        }

        // Each participant has the arm of the slot of their turn: the groups are the ones above.
        var (armOf, _, _) = await DistinctiveTrial.ReadListAsync(statistician, trial.Id);
        Assert.Equal(arms, participants.Select(p => armOf[p]));

        foreach (var (participant, term) in new[] { (participants[0], "Headache"), (participants[0], "Nausea"), (participants[1], "Rash"), (participants[4], "Headache") })
        {
            var recorded = await coordinator.PostAsJsonAsync($"/api/trials/{trial.Id}/participants/{participant}/adverse-events", AdverseEventForms.Mild(("term", term)));
            Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
        }

        return new Created(trial, statistician, coordinator, participants);
    }
}

using Edc.Domain.Visits;

namespace Edc.Api.Features.DemoData;

/// <summary>
/// A participant's skin score over the year: the planned totals at the first and the last MRSS visits from Day 0
/// (<paramref name="baselineDay"/>, <paramref name="finalDay"/>), the visits between on the line joining them give or
/// take two, screening near the baseline.
/// </summary>
internal sealed class MrssCourse(Random random, DemoParticipant participant, int baselineDay, int finalDay)
{
    public Dictionary<string, int> ScoresAt(int day)
    {
        var total = day == baselineDay ? participant.Baseline
            : day == finalDay ? participant.Final
            : (int)Math.Round(participant.Baseline + ((participant.Final - participant.Baseline) * Math.Clamp(day - baselineDay, 0, finalDay - baselineDay)
                / (double)(finalDay - baselineDay))) + random.Next(-2, 3);
        return Spread(Math.Clamp(total, 0, 51));
    }

    // Fills the 17 areas (0 to 3 each) to the total, hands and fingers first, as skin thickening usually runs.
    private Dictionary<string, int> Spread(int total)
    {
        var scores = MrssAssessment.Areas.ToDictionary(a => a, _ => 0);
        var order = MrssAssessment.Areas.OrderBy(a => a.Contains("Finger", StringComparison.Ordinal) || a.Contains("Hand", StringComparison.Ordinal) ? 0 : 1)
            .ThenBy(_ => random.Next()).ToList();
        for (var remaining = total; remaining > 0;)
        {
            foreach (var area in order.Where(a => scores[a] < 3))
            {
                if (remaining == 0)
                {
                    break;
                }

                scores[area]++;
                remaining--;
            }
        }

        return scores;
    }
}

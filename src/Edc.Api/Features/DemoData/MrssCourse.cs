using Edc.Domain.Visits;

namespace Edc.Api.Features.DemoData;

/// <summary>A participant's skin score over the year: a baseline near 24 falling by about a third on belimumab, a sixth on placebo.</summary>
internal sealed class MrssCourse(Random random, bool onBelimumab)
{
    private readonly int _baseline = 18 + random.Next(13);
    private readonly double _yearlyChange = onBelimumab ? -0.33 : -0.16;

    public Dictionary<string, int> ScoresAt(int day)
    {
        var fraction = Math.Clamp(day, 0, 364) / 364.0;
        var total = (int)Math.Round(_baseline * (1 + (_yearlyChange * fraction)) + random.Next(-2, 3));
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

using Edc.Api.Blinding;
using Edc.Domain.Randomization;
using Edc.Domain.Trials;

namespace Edc.Api.Features.DemoData;

/// <summary>
/// Plans the demo's participants from the arms of the list's next slots, so that the primary analysis, once the trial is
/// locked and unblinded, gives the published pilot's results (Arthritis Rheumatol 2018;70(2)): ten participants an arm
/// complete their year with MRSS totals whose medians and quartiles (Hyndman-Fan type 6) are the published ones, and each
/// arm has the published count of adverse events. The slots come in sequence: the first go to the ten of each arm; one
/// whose arm has its ten already withdraws (with blocks of 2 and 4 there is at most one; without one, the next slot
/// withdraws); four more are randomized later and still on study.
/// </summary>
internal static class DemoCohort
{
    private const int DaysBetweenRandomizations = 14;

    // The last of the first cohort was randomized long enough ago to have done week 52 (day 364, window ±14).
    private const int LastOfCohortDaysAgo = 380;

    private const int WithdrawalDay = 142;

    // The last two of those still on study have their visits of the past five weeks not entered: visits overdue. The
    // others are placed so that today one has a visit due (week 36) and one a visit upcoming (week 24).
    private const int EntryLagDays = 35;
    private static readonly int[] OnStudyDaysIn = [250, 160, 110, 90];

    /// <summary>
    /// Per arm, in the trial's arm order (belimumab, placebo): the ten analysed participants' MRSS at Day 0 and its change
    /// at week 52, and the arm's adverse events. Belimumab 27 (26.5, 31) → 18 (11, 23), change −10 (−13, −9), 53 events;
    /// placebo 28 (22, 28) → 21 (14, 25), change −3 (−15, −1), 56 events.
    /// </summary>
    private static readonly (int[] Baseline, int[] Change, int AdverseEvents)[] Published =
    [
        ([20, 25, 27, 27, 27, 27, 29, 29, 37, 39], [-12, -10, -10, -6, -16, -16, -10, -10, 11, -10], 53),
        ([21, 22, 22, 24, 28, 28, 28, 28, 28, 32], [2, -2, -5, -2, -3, -13, -23, -3, 2, -21], 56),
    ];

    /// <param name="slots">The list's free slots of the participants' stratum, in sequence.</param>
    public static IReadOnlyList<DemoParticipant> Plan(Trial trial, IReadOnlyList<RandomizationSlot> slots, DemoTimeline timeline)
    {
        var random = timeline.Random;
        var arms = trial.Arms.OrderBy(a => a.Ordinal).Select(a => a.Code).ToList();
        var pairs = arms.Zip(Published).ToDictionary(
            x => x.First,
            x => new Queue<(int Baseline, int Final)>(x.Second.Baseline.Zip(x.Second.Change, (b, c) => (b, b + c)).OrderBy(_ => random.Next())));

        // Who completes the year with which scores, and who withdraws, slot by slot.
        var cohort = new List<(int Baseline, int Final)?>();
        while (pairs.Values.Any(p => p.Count > 0) || !cohort.Contains(null))
        {
            cohort.Add(pairs[AssignmentGate.ArmOfSyntheticParticipant(slots[cohort.Count])].TryDequeue(out var pair) ? pair : null);
        }

        var today = timeline.Today;
        var planned = new List<DemoParticipant>();
        foreach (var (scores, index) in cohort.Select((s, i) => (s, i)))
        {
            var dayZero = today.AddDays(-LastOfCohortDaysAgo - (DaysBetweenRandomizations * (cohort.Count - 1 - index)));
            var (baseline, final) = scores ?? OutsideTheAnalysis(random, slots[index], arms);
            planned.Add(new DemoParticipant(
                index, slots[index], dayZero, today, scores is null ? dayZero.AddDays(WithdrawalDay) : null, baseline, final, AdverseEvents: 0));
        }

        foreach (var (daysIn, i) in OnStudyDaysIn.Select((d, i) => (d, i)))
        {
            var index = cohort.Count + i;
            var (baseline, final) = OutsideTheAnalysis(random, slots[index], arms);
            var enteredUntil = i >= OnStudyDaysIn.Length - 2 ? today.AddDays(-EntryLagDays) : today;
            planned.Add(new DemoParticipant(index, slots[index], today.AddDays(-daysIn), enteredUntil, null, baseline, final, AdverseEvents: 0));
        }

        // Each arm's events spread over its participants by time on study, at least one each.
        var events = new int[planned.Count];
        foreach (var (arm, published) in arms.Zip(Published))
        {
            var ofArm = planned.Where(p => AssignmentGate.ArmOfSyntheticParticipant(p.Slot) == arm).ToList();
            var weights = ofArm.Select(p => (DaysOnStudy(p, today) * (0.5 + random.NextDouble()))).ToList();
            foreach (var (participant, count) in ofArm.Zip(Apportion(published.AdverseEvents - ofArm.Count, weights)))
            {
                events[participant.Index] = 1 + count;
            }
        }

        return [.. planned.Select(p => p with { AdverseEvents = events[p.Index] })];
    }

    /// <summary>The adverse events' onsets lie from Day 0 to this day: the year's end, the withdrawal, or a few days ago.</summary>
    public static DateOnly LastOnsetDay(DemoParticipant participant, DateOnly today) =>
        new[] { participant.DayZero.AddDays(360), participant.WithdrawsOn ?? DateOnly.MaxValue, today.AddDays(-3) }.Min();

    // A participant outside the analysis: a baseline near 24, falling by about a third in a year on the first arm, a sixth on the other.
    private static (int Baseline, int Final) OutsideTheAnalysis(Random random, RandomizationSlot slot, List<string> arms)
    {
        var baseline = 18 + random.Next(13);
        var yearlyChange = AssignmentGate.ArmOfSyntheticParticipant(slot) == arms[0] ? -0.33 : -0.16;
        return (baseline, (int)Math.Round(baseline * (1 + yearlyChange)));
    }

    private static int DaysOnStudy(DemoParticipant participant, DateOnly today) => LastOnsetDay(participant, today).DayNumber - participant.DayZero.DayNumber;

    /// <summary>Whole counts summing to <paramref name="total"/> in proportion to the weights (largest remainders first).</summary>
    private static int[] Apportion(int total, IReadOnlyList<double> weights)
    {
        var exact = weights.Select(w => total * w / weights.Sum()).ToArray();
        var counts = exact.Select(e => (int)Math.Floor(e)).ToArray();
        var remainders = Enumerable.Range(0, exact.Length).OrderByDescending(i => exact[i] - counts[i]).Take(total - counts.Sum()).ToList();
        foreach (var i in remainders)
        {
            counts[i]++;
        }

        return counts;
    }
}

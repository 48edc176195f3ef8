using Edc.Domain.Safety;

namespace Edc.Api.Features.DemoData;

/// <summary>The demo's adverse events: common non-serious ones, and three serious ones, one of them a SUSAR.</summary>
internal static class DemoAdverseEvents
{
    private static readonly (string Term, int Grade, Relatedness Relatedness)[] Common =
    [
        ("Upper respiratory tract infection", 1, Relatedness.Unlikely), ("Nausea", 1, Relatedness.Possible), ("Headache", 1, Relatedness.Unlikely),
        ("Diarrhoea", 2, Relatedness.Possible), ("Fatigue", 1, Relatedness.Possible), ("Infusion-related reaction", 2, Relatedness.Probable),
        ("Urinary tract infection", 2, Relatedness.Unlikely), ("Leukopenia", 2, Relatedness.Possible), ("Digital ulcer", 2, Relatedness.NotRelated),
        ("Gastro-oesophageal reflux", 1, Relatedness.NotRelated),
    ];

    public sealed record Planned(AdverseEventReport Report, DateTimeOffset EnteredAt, TimeSpan? SponsorReportAfter);

    /// <summary>
    /// The participant's <see cref="DemoParticipant.AdverseEvents"/> events, all begun by <see cref="DemoCohort.LastOnsetDay"/>:
    /// a serious one for the third and the tenth participants and the SUSAR that makes a participant withdraw, the others common.
    /// </summary>
    public static IEnumerable<Planned> For(DemoParticipant participant, DemoTimeline timeline)
    {
        var serious = Serious(participant, timeline).ToList();
        var random = timeline.Random;
        var dayZero = participant.DayZero;
        var lastOnset = DemoCohort.LastOnsetDay(participant, timeline.Today);
        for (var n = participant.AdverseEvents - serious.Count; n > 0; n--)
        {
            var (term, grade, relatedness) = Common[random.Next(Common.Length)];
            var onset = dayZero.AddDays(random.Next(3, lastOnset.DayNumber - dayZero.DayNumber + 1));
            var end = onset.AddDays(2 + random.Next(20));
            yield return Plan(term, onset, end < timeline.Today ? end : null, grade, [], relatedness, expected: true, ActionTaken.DoseNotChanged, timeline, null);
        }

        foreach (var planned in serious)
        {
            yield return planned;
        }
    }

    private static IEnumerable<Planned> Serious(DemoParticipant participant, DemoTimeline timeline)
    {
        var dayZero = participant.DayZero;
        if (participant.WithdrawsOn is not null)
        {
            yield return Plan("Herpes zoster disseminated", dayZero.AddDays(130), dayZero.AddDays(151), 3, [SeriousnessCriterion.Hospitalization],
                Relatedness.Probable, expected: false, ActionTaken.DrugWithdrawn, timeline, TimeSpan.FromHours(30));
        }
        else if (participant.Index == 2)
        {
            yield return Plan("Pneumonia", dayZero.AddDays(75), dayZero.AddDays(89), 3, [SeriousnessCriterion.Hospitalization], Relatedness.Possible,
                expected: true, ActionTaken.DrugInterrupted, timeline, TimeSpan.FromHours(20));
        }
        else if (participant.Index == 9)
        {
            yield return Plan("Scleroderma renal crisis", dayZero.AddDays(160), dayZero.AddDays(185), 4,
                [SeriousnessCriterion.LifeThreatening, SeriousnessCriterion.Hospitalization], Relatedness.NotRelated, expected: null,
                ActionTaken.DrugInterrupted, timeline, TimeSpan.FromHours(9));
        }
    }

    private static Planned Plan(
        string term, DateOnly onset, DateOnly? end, int grade, SeriousnessCriterion[] criteria, Relatedness relatedness, bool? expected,
        ActionTaken action, DemoTimeline timeline, TimeSpan? sponsorReportAfter)
    {
        var awareAt = timeline.At(onset.AddDays(timeline.Random.Next(2)), 15);
        var report = new AdverseEventReport(
            term, onset, end, end is null, grade, criteria.Length > 0, criteria, relatedness, expected, action,
            end is null ? AdverseEventOutcome.NotRecovered : AdverseEventOutcome.Recovered, awareAt);
        return new Planned(report, awareAt + TimeSpan.FromHours(2), sponsorReportAfter);
    }
}

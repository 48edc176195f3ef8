using Edc.Api.Common;
using Edc.Domain.Safety;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>
/// The adverse event form in the client's field names, one for the requests and the answers: a request sends it
/// (<see cref="AdverseEventBody"/>), the answers show it (an event's current version in <see cref="AdverseEventView"/>,
/// each version in <see cref="AdverseEventVersionView"/>). A request may leave any field out: the validators say which
/// it must send, the domain whether the form is consistent.
/// </summary>
public record AdverseEventForm
{
    [NotNullInAnswers]
    public string? Term { get; init; }

    [NotNullInAnswers]
    public DateOnly? OnsetDate { get; init; }

    public DateOnly? EndDate { get; init; }

    [NotNullInAnswers]
    public bool? Ongoing { get; init; }

    [NotNullInAnswers]
    public int? Grade { get; init; }

    [NotNullInAnswers]
    public bool? Serious { get; init; }

    [NotNullInAnswers]
    public IReadOnlyList<SeriousnessCriterion>? SeriousnessCriteria { get; init; }

    [NotNullInAnswers]
    public Relatedness? Relatedness { get; init; }

    public bool? Expected { get; init; }

    [NotNullInAnswers]
    public ActionTaken? ActionTaken { get; init; }

    [NotNullInAnswers]
    public AdverseEventOutcome? Outcome { get; init; }

    [NotNullInAnswers]
    public DateTimeOffset? AwarenessDate { get; init; }

    /// <summary>A version's form as the client sent it (the awareness as given or defaulted).</summary>
    public static AdverseEventForm From(AdverseEventReport report) => new()
    {
        Term = report.Term,
        OnsetDate = report.OnsetDate,
        EndDate = report.EndDate,
        Ongoing = report.Ongoing,
        Grade = report.Grade,
        Serious = report.Serious,
        SeriousnessCriteria = report.SeriousnessCriteria,
        Relatedness = report.Relatedness,
        Expected = report.Expected,
        ActionTaken = report.ActionTaken,
        Outcome = report.Outcome,
        AwarenessDate = report.AwareAt,
    };
}

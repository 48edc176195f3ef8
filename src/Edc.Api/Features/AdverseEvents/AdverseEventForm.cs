using System.Text.Json.Serialization;
using Edc.Api.Common;
using Edc.Domain.Safety;
using FluentValidation;
using FluentValidation.Results;

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

/// <summary>The adverse event form as the client sends it, for a new event and for each new version.</summary>
public sealed record AdverseEventBody : AdverseEventForm
{
    // After the form's fields, as the contract has it.
    [JsonPropertyOrder(1)]
    public string? Reason { get; init; }
}

/// <summary>
/// The form's fields as a command carries them, so that field errors name the client's fields. The form's shape is
/// checked here; its consistency (grade 5 and death, seriousness and criteria, the dates) by the domain.
/// </summary>
public interface IAdverseEventForm
{
    AdverseEventBody Form { get; }
}

internal static class AdverseEventFormRules
{
    public static void AddFormRules<T>(this AbstractValidator<T> validator)
        where T : IAdverseEventForm
    {
        validator.RuleFor(c => c.Form.Term).NotEmpty().MaximumLength(200).OverridePropertyName("term");
        validator.RuleFor(c => c.Form.OnsetDate).NotNull().OverridePropertyName("onsetDate");
        validator.RuleFor(c => c.Form.Ongoing).NotNull().OverridePropertyName("ongoing");
        validator.RuleFor(c => c.Form.Grade).NotNull().InclusiveBetween(1, AdverseEventReport.DeathGrade)
            .WithMessage("The CTCAE grade is 1 to 5.").OverridePropertyName("grade");
        validator.RuleFor(c => c.Form.Serious).NotNull().OverridePropertyName("serious");
        validator.RuleFor(c => c.Form.SeriousnessCriteria)
            .Must(criteria => criteria is null || criteria.Distinct().Count() == criteria.Count)
            .WithMessage("Each seriousness criterion is given once.").OverridePropertyName("seriousnessCriteria");
        validator.RuleFor(c => c.Form.Relatedness).NotNull().OverridePropertyName("relatedness");
        validator.RuleFor(c => c.Form.ActionTaken).NotNull().OverridePropertyName("actionTaken");
        validator.RuleFor(c => c.Form.Outcome).NotNull().OverridePropertyName("outcome");
        validator.RuleFor(c => c.Form.Reason).MaximumLength(2000).OverridePropertyName("reason");
    }

    /// <summary>
    /// The validated form as a report, its awareness in UTC whatever offset the client gave; its consistency is checked
    /// against the participant's consent and now (400 otherwise).
    /// </summary>
    public static AdverseEventReport ToConsistentReport(this AdverseEventForm form, DateTimeOffset awareAt, DateOnly? consentDate, DateTimeOffset now)
    {
        var report = new AdverseEventReport(
            form.Term!.Trim(), form.OnsetDate!.Value, form.EndDate, form.Ongoing!.Value, form.Grade!.Value, form.Serious!.Value,
            form.SeriousnessCriteria ?? [], form.Relatedness!.Value, form.Expected, form.ActionTaken!.Value, form.Outcome!.Value, awareAt.ToUniversalTime());
        var inconsistencies = report.Inconsistencies(consentDate, now);
        if (inconsistencies.Count > 0)
        {
            throw new ValidationException(inconsistencies.Select(i => new ValidationFailure(i.Field, i.Message)));
        }

        return report;
    }
}

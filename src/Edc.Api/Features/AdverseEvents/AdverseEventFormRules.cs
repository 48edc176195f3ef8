using Edc.Domain.Safety;
using FluentValidation;
using FluentValidation.Results;

namespace Edc.Api.Features.AdverseEvents;

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

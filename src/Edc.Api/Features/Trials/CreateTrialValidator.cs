using Edc.Api.Features.Forms;
using Edc.Domain.Forms;
using Edc.Domain.Trials;
using FluentValidation;

namespace Edc.Api.Features.Trials;

public sealed class CreateTrialValidator : AbstractValidator<CreateTrial.Command>
{
    private const string CodePattern = "^[A-Za-z0-9][A-Za-z0-9_-]*$";
    private const string CodeMessage = "Use letters, digits, '-' and '_' only, starting with a letter or digit.";

    public CreateTrialValidator()
    {
        RuleFor(c => c.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
        RuleFor(c => c.Title).NotEmpty().MaximumLength(500);

        RuleFor(c => c.Arms).Cascade(CascadeMode.Stop).NotNull().Must(a => a!.Count >= 2).WithMessage("A randomized trial needs at least two arms.");
        RuleForEach(c => c.Arms).NotNull().ChildRules(arm =>
        {
            arm.RuleFor(a => a.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
            arm.RuleFor(a => a.Name).NotEmpty().MaximumLength(300);
            arm.RuleFor(a => a.Ratio).InclusiveBetween(1, 100);
        });
        RuleFor(c => c.Arms).Must(UniqueCodes).When(c => c.Arms is not null).WithMessage("Arm codes must be unique.");

        RuleFor(c => c.VisitDefinitions).NotEmpty().WithMessage("A trial needs at least one visit definition.");
        RuleForEach(c => c.VisitDefinitions).NotNull().ChildRules(visit =>
        {
            visit.RuleFor(v => v.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
            visit.RuleFor(v => v.Name).NotEmpty().MaximumLength(200);
            visit.RuleFor(v => v.Day).InclusiveBetween(-3650, 3650);
            visit.RuleFor(v => v.WindowBefore).InclusiveBetween(0, 365);
            visit.RuleFor(v => v.WindowAfter).InclusiveBetween(0, 365);
            visit.RuleFor(v => v.Procedures).NotNull();
            visit.RuleForEach(v => v.Forms).NotEmpty().MaximumLength(20);
            visit.RuleForEach(v => v.Procedures).NotEmpty().MaximumLength(40).Matches("^[A-Za-z][A-Za-z0-9]*$")
                .WithMessage("A procedure is a code of letters and digits, e.g. Mrss, Infusion, AeReview.");
        });
        RuleFor(c => c.VisitDefinitions).Must(UniqueCodes).When(c => c.VisitDefinitions is not null).WithMessage("Visit codes must be unique.");

        RuleForEach(c => c.EligibilityCriteria).NotNull().ChildRules(criterion =>
        {
            criterion.RuleFor(x => x.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
            criterion.RuleFor(x => x.Kind).NotEmpty().IsEnumName(typeof(CriterionKind), caseSensitive: true)
                .WithMessage("Kind is Inclusion or Exclusion.");
            criterion.RuleFor(x => x.Text).NotEmpty().MaximumLength(2000);
        });
        RuleFor(c => c.EligibilityCriteria).Must(UniqueCodes).When(c => c.EligibilityCriteria is not null).WithMessage("Criterion codes must be unique.");

        RuleForEach(c => c.StratificationFactors).NotNull().ChildRules(factor =>
        {
            factor.RuleFor(f => f.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
            factor.RuleFor(f => f.Name).NotEmpty().MaximumLength(200);
            factor.RuleFor(f => f.Levels).Cascade(CascadeMode.Stop).NotNull().Must(l => l!.Count >= 2 && l.Distinct().Count() == l.Count)
                .WithMessage("A factor needs at least two distinct levels.");
            factor.RuleForEach(f => f.Levels).NotEmpty().MaximumLength(100);
        });
        RuleFor(c => c.StratificationFactors).Must(UniqueCodes).When(c => c.StratificationFactors is not null).WithMessage("Factor codes must be unique.");

        // The forms are checked with the schedule that lists them, once the rest of the definition reads.
        RuleFor(c => c).Custom((command, context) =>
        {
            if (command.VisitDefinitions is null || command.VisitDefinitions.Any(v => v?.Code is null))
            {
                return;
            }

            var forms = command.Forms ?? [];
            var specs = new List<FormSpec>();
            for (var i = 0; i < forms.Count; i++)
            {
                var (spec, problems) = forms[i]?.ToSpec() ?? (null, [new DefinitionProblem("", "A form is an object with a code, a name and items.")]);
                DefinitionFailures.Add(context, problems, $"forms[{i}]");
                specs.AddRange(spec is null ? [] : [spec]);
            }

            if (specs.Count == forms.Count)
            {
                var (_, problems) = FormSet.Define(specs, [.. command.VisitDefinitions.Select(v => new VisitForms(v!.Code!, v.Day, v.Forms ?? []))]);
                DefinitionFailures.Add(context, problems, prefix: null);
            }
        });

        RuleForEach(c => c.Sites).NotNull().ChildRules(site =>
        {
            site.RuleFor(s => s.Code).NotEmpty().MaximumLength(40).Matches(CodePattern).WithMessage(CodeMessage);
            site.RuleFor(s => s.Name).NotEmpty().MaximumLength(200);
        });
        RuleFor(c => c.Sites).Must(UniqueCodes).When(c => c.Sites is not null).WithMessage("Site codes must be unique.");
    }

    private static bool UniqueCodes(IEnumerable<ArmModel>? items) => Unique(items?.Select(i => i?.Code));

    private static bool UniqueCodes(IEnumerable<VisitDefinitionModel>? items) => Unique(items?.Select(i => i?.Code));

    private static bool UniqueCodes(IEnumerable<CriterionModel>? items) => Unique(items?.Select(i => i?.Code));

    private static bool UniqueCodes(IEnumerable<FactorModel>? items) => Unique(items?.Select(i => i?.Code));

    private static bool UniqueCodes(IEnumerable<SiteModel>? items) => Unique(items?.Select(i => i?.Code));

    private static bool Unique(IEnumerable<string?>? codes)
    {
        var list = codes?.Where(c => c is not null).ToList() ?? [];
        return list.Distinct(StringComparer.OrdinalIgnoreCase).Count() == list.Count;
    }
}

using Edc.Domain.Trials;

namespace Edc.Api.Features.Trials;

public sealed record TrialDetails(
    Guid Id,
    string Code,
    string Title,
    TrialStatus Status,
    DateTimeOffset CreatedAt,
    DateTimeOffset? LockedAt,
    DateTimeOffset? FinalUnblindedAt,
    IReadOnlyList<ArmModel> Arms,
    IReadOnlyList<VisitDefinitionModel> VisitDefinitions,
    IReadOnlyList<CriterionModel> EligibilityCriteria,
    IReadOnlyList<FactorModel> StratificationFactors)
{
    public static TrialDetails From(Trial trial) => new(
        trial.Id,
        trial.Code,
        trial.Title,
        trial.Status,
        trial.CreatedAt,
        trial.LockedAt,
        trial.FinalUnblindedAt,
        [.. trial.Arms.OrderBy(a => a.Ordinal).Select(a => new ArmModel(a.Code, a.Name, a.Ratio))],
        [.. trial.Visits.OrderBy(v => v.Ordinal).Select(v => new VisitDefinitionModel(v.Code, v.Name, v.Day, v.WindowBefore, v.WindowAfter, v.Procedures, v.Forms))],
        [.. trial.EligibilityCriteria.OrderBy(c => c.Ordinal).Select(c => new CriterionModel(c.Code, c.Kind.ToString(), c.Text))],
        [.. trial.StratificationFactors.OrderBy(f => f.Ordinal).Select(f => new FactorModel(f.Code, f.Name, f.Levels))]);
}

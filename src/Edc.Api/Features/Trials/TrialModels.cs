using Edc.Domain.Trials;

namespace Edc.Api.Features.Trials;

/// <summary>The trial definition as the contract shapes it: in POST /api/trials, GET /api/trials/{id} and definition files.</summary>
public sealed record ArmModel(string? Code, string? Name, int Ratio);

public sealed record VisitDefinitionModel(string? Code, string? Name, int Day, int WindowBefore, int WindowAfter, List<string>? Procedures);

public sealed record CriterionModel(string? Code, string? Kind, string? Text);

public sealed record FactorModel(string? Code, string? Name, List<string>? Levels);

public sealed record SiteModel(string? Code, string? Name);

public sealed record TrialSummary(Guid Id, string Code, string Title, string Status);

public sealed record TrialDetails(
    Guid Id,
    string Code,
    string Title,
    string Status,
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
        trial.Status.ToString(),
        trial.CreatedAt,
        trial.LockedAt,
        trial.FinalUnblindedAt,
        [.. trial.Arms.OrderBy(a => a.Ordinal).Select(a => new ArmModel(a.Code, a.Name, a.Ratio))],
        [.. trial.Visits.OrderBy(v => v.Ordinal).Select(v => new VisitDefinitionModel(v.Code, v.Name, v.Day, v.WindowBefore, v.WindowAfter, v.Procedures))],
        [.. trial.EligibilityCriteria.OrderBy(c => c.Ordinal).Select(c => new CriterionModel(c.Code, c.Kind.ToString(), c.Text))],
        [.. trial.StratificationFactors.OrderBy(f => f.Ordinal).Select(f => new FactorModel(f.Code, f.Name, f.Levels))]);
}

public sealed record SiteView(Guid Id, Guid TrialId, string Code, string Name);

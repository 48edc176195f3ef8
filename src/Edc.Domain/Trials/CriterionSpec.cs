namespace Edc.Domain.Trials;

public sealed record CriterionSpec(string Code, CriterionKind Kind, string Text);

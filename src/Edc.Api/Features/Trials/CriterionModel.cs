namespace Edc.Api.Features.Trials;

public sealed record CriterionModel(string? Code, string? Kind, string? Text);

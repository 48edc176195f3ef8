namespace Edc.Api.Features.Trials;

public sealed record FactorModel(string? Code, string? Name, List<string>? Levels);

namespace Edc.Api.Features.Trials;

public sealed record VisitDefinitionModel(string? Code, string? Name, int Day, int WindowBefore, int WindowAfter, List<string>? Procedures);

namespace Edc.Api.Features.Trials;

/// <param name="Forms">The codes of the forms the visit collects (built-in ones included); answers list the built-in forms of its procedures too.</param>
public sealed record VisitDefinitionModel(string? Code, string? Name, int Day, int WindowBefore, int WindowAfter, List<string>? Procedures, List<string>? Forms = null);

namespace Edc.Domain.Trials;

public sealed record VisitSpec(string Code, string Name, int Day, int WindowBefore, int WindowAfter, IReadOnlyList<string> Procedures);

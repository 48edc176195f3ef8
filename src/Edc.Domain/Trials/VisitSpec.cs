namespace Edc.Domain.Trials;

/// <param name="Forms">The codes of the forms the visit collects, built-in ones included (null: none listed).</param>
public sealed record VisitSpec(string Code, string Name, int Day, int WindowBefore, int WindowAfter, IReadOnlyList<string> Procedures, IReadOnlyList<string>? Forms = null);

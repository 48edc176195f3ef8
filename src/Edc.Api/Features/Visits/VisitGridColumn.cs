namespace Edc.Api.Features.Visits;

/// <summary>A protocol visit, one column of the participant-by-visit grid.</summary>
public sealed record VisitGridColumn(string Code, string Name, int Day);

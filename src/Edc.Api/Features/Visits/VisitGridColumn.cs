namespace Edc.Api.Features.Visits;

/// <summary>A protocol visit, one column of the participant-by-visit grid, with the number of forms it collects.</summary>
public sealed record VisitGridColumn(string Code, string Name, int Day, int Forms);

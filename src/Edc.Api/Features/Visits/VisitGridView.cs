namespace Edc.Api.Features.Visits;

/// <summary>The participant-by-visit grid of the caller's sites: a page of participants, a column per protocol visit.</summary>
public sealed record VisitGridView(IReadOnlyList<VisitGridColumn> Columns, IReadOnlyList<VisitGridRow> Rows, int Page, int PageSize, int Total);

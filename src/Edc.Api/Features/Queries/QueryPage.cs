namespace Edc.Api.Features.Queries;

/// <summary>A page of queries, as every list is paged, with the counts per status of the same filters.</summary>
public sealed record QueryPage(IReadOnlyList<QuerySummary> Items, int Page, int PageSize, int Total, QueryCounts Counts);

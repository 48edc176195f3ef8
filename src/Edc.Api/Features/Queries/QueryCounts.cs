namespace Edc.Api.Features.Queries;

/// <summary>How many queries the list's filters (its status filter aside) find in each status.</summary>
public sealed record QueryCounts(int Open, int Answered, int Closed);

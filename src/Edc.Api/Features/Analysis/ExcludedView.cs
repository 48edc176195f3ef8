namespace Edc.Api.Features.Analysis;

public sealed record ExcludedView(int Count, IReadOnlyList<ExclusionView> Reasons);

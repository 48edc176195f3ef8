namespace Edc.Api.Features.Analysis;

/// <summary>Why randomized participants are not in the analysed population, and how many for each reason.</summary>
public sealed record ExclusionView(string Reason, int Count);

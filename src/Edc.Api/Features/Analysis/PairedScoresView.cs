namespace Edc.Api.Features.Analysis;

/// <summary>One participant's MRSS total at the baseline visit and at the final one.</summary>
public sealed record PairedScoresView(int Baseline, int Final);

namespace Edc.Api.Features.SafetySummaries;

/// <summary>Which arm a masked group stands for: in the closed view only.</summary>
public sealed record UnblindedColumn(string Column, string ArmCode, string ArmName);

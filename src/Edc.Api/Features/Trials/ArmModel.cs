namespace Edc.Api.Features.Trials;

/// <summary>The trial definition as the contract shapes it: in POST /api/trials, GET /api/trials/{id} and definition files.</summary>
public sealed record ArmModel(string? Code, string? Name, int Ratio);

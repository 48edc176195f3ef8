namespace Edc.Domain.Trials;

public sealed record ArmSpec(string Code, string Name, int Ratio);

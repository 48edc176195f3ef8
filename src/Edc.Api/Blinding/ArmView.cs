namespace Edc.Api.Blinding;

public sealed record ArmView(string Code, string Name);

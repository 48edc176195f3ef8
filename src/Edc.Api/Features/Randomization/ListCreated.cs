namespace Edc.Api.Features.Randomization;

public sealed record ListCreated(Guid Id, string Algorithm, string? Seed, string Checksum, int Slots, IReadOnlyList<string> Strata);

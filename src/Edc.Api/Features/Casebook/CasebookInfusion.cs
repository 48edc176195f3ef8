namespace Edc.Api.Features.Casebook;

public sealed record CasebookInfusion(string VisitCode, bool Administered, DateTimeOffset? AdministeredAt, string? NotAdministeredReason);

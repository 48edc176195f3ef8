namespace Edc.Api.Features.Casebook;

/// <summary>An infusion given or not at a visit; <see cref="Id"/> names the record in the audit trail.</summary>
public sealed record CasebookInfusion(Guid Id, string VisitCode, bool Administered, DateTimeOffset? AdministeredAt, string? NotAdministeredReason);

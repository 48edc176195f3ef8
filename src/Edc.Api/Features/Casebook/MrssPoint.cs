namespace Edc.Api.Features.Casebook;

/// <summary>An MRSS total in the casebook's series; <see cref="Id"/> names the assessment in the audit trail.</summary>
public sealed record MrssPoint(Guid Id, string VisitCode, DateOnly AssessedOn, int Total);

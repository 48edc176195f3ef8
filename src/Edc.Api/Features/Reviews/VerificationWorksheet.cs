namespace Edc.Api.Features.Reviews;

/// <summary>A monitor's source-data verification of one participant: per visit, each form's status and review, and what changed since its last verification.</summary>
public sealed record VerificationWorksheet(Guid ParticipantId, Guid SiteId, string ScreeningNumber, bool Locked, IReadOnlyList<VerificationVisit> Visits);

namespace Edc.Domain.DataManagement;

/// <summary>
/// What a query is about: a form of a participant (at a visit, or a log entry, or a built-in form's record), and one item
/// of it or the form as a whole.
/// </summary>
public sealed record QueryTarget(Guid TrialId, Guid SiteId, Guid ParticipantId, string? VisitCode, string FormCode, string? ItemCode, Guid? LogEntryId);

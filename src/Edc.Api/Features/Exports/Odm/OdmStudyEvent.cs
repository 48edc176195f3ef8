namespace Edc.Api.Features.Exports.Odm;

/// <summary>A <c>StudyEventDef</c>: a visit of the schedule, the unscheduled visits, or the participant-level data.</summary>
internal sealed record OdmStudyEvent(string Oid, string Name, bool Repeating, string Type, string? Description, IReadOnlyList<string> Forms);

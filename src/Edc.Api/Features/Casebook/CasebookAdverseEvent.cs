namespace Edc.Api.Features.Casebook;

/// <summary>An adverse event as its participant's casebook lists it; the event itself is one link away.</summary>
public sealed record CasebookAdverseEvent(Guid Id, string Term, DateOnly OnsetDate, bool Ongoing, int Grade, bool Serious, bool Susar, string Link);

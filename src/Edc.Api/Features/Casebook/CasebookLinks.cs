namespace Edc.Api.Features.Casebook;

public sealed record CasebookLinks(string Participant, string Visits, string AdverseEvents);

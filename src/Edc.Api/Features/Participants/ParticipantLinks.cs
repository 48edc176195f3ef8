namespace Edc.Api.Features.Participants;

public sealed record ParticipantLinks(string Casebook, string Visits, string AdverseEvents);

namespace Edc.Api.Features.Participants;

/// <summary>That the blind was broken for this participant, by whom, when and why: shown to everyone, never the arm.</summary>
public sealed record EmergencyUnblindingView(Guid By, DateTimeOffset At, string Reason);

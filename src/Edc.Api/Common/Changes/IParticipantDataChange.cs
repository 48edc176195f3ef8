namespace Edc.Api.Common.Changes;

/// <summary>
/// A change to one participant's data that never holds the participant's row exclusively (a form's values): its
/// transaction holds that row shared from its first round trip, so <see cref="ClinicalDataChanges"/> needs no round trip
/// of its own to take it. Not for a change that locks the row for update later (a shared lock first would deadlock two
/// such changes).
/// </summary>
public interface IParticipantDataChange : ITrialChange
{
    Guid ParticipantId { get; }
}

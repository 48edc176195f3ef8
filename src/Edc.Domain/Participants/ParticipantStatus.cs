namespace Edc.Domain.Participants;

public enum ParticipantStatus
{
    Screening,
    ScreenFailed,
    Enrolled,
    Randomized,
    Withdrawn,
    Completed,
    Deceased,
}

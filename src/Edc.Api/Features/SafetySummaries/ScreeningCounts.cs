namespace Edc.Api.Features.SafetySummaries;

public sealed record ScreeningCounts(
    int Registered, int ScreenFailed, int Enrolled, int Randomized, int AwaitingRandomization, int WithdrawnBeforeRandomization,
    int AdverseEventsBeforeRandomization);

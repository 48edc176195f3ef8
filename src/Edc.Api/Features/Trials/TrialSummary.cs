namespace Edc.Api.Features.Trials;

public sealed record TrialSummary(Guid Id, string Code, string Title, string Status);

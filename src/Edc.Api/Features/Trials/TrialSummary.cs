using Edc.Domain.Trials;

namespace Edc.Api.Features.Trials;

public sealed record TrialSummary(Guid Id, string Code, string Title, TrialStatus Status);

namespace Edc.Api.Features.Trials;

public sealed record SiteView(Guid Id, Guid TrialId, string Code, string Name);

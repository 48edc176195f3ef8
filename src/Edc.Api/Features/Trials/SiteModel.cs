namespace Edc.Api.Features.Trials;

public sealed record SiteModel(string? Code, string? Name);

namespace Edc.Api.Features.Casebook;

public sealed record MrssPoint(string VisitCode, DateOnly AssessedOn, int Total);

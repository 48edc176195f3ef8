using Edc.Domain.Visits;

namespace Edc.Api.Features.Reviews;

/// <summary>One visit of a <see cref="VerificationWorksheet"/>, with the forms it collects.</summary>
public sealed record VerificationVisit(string VisitCode, string Name, VisitStatus Status, DateOnly? ActualDate, IReadOnlyList<VerificationForm> Forms);

using Edc.Domain.Visits;

namespace Edc.Api.Features.Signatures;

/// <summary>A visit as a signature covers it: its own fields and the data of its forms.</summary>
public sealed record SignedVisit(
    Guid Id, string Code, string Name, VisitStatus Status, DateOnly? ActualDate, string? MissedReason, bool OutOfWindow, IReadOnlyList<SignedForm> Forms);

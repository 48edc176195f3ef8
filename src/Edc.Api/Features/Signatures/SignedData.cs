namespace Edc.Api.Features.Signatures;

/// <summary>
/// What a signature covers, as <see cref="SignedContent"/> reads it: the visits in scope (one for a visit's signature), and
/// for a casebook the log entries and adverse events; <see cref="Missing"/> lists the forms in scope not yet Complete.
/// </summary>
public sealed record SignedData(
    IReadOnlyList<SignedVisit> Visits, IReadOnlyList<SignedForm> LogEntries, IReadOnlyList<SignedForm> AdverseEvents, IReadOnlyList<MissingForm> Missing);

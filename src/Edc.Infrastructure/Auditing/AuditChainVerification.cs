namespace Edc.Infrastructure.Auditing;

/// <summary>The outcome of recomputing the audit trail's hash chain.</summary>
/// <param name="LastSequence">The head of the chain. Recording it (with <paramref name="LastHash"/>) outside the database lets a
/// later verification also detect rows removed from the end, which a chain alone cannot show.</param>
public sealed record AuditChainVerification(
    bool Intact, long RowsChecked, long? FirstBrokenSequence, string? Problem, long? LastSequence, string? LastHash);

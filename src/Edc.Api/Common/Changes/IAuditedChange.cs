namespace Edc.Api.Common.Changes;

/// <summary>
/// A request that changes audited data. <see cref="ChangeTransactionBehavior{TRequest,TResponse}"/> runs its handler in
/// one audited transaction and saves and commits what the handler changed; <see cref="Reason"/> reaches every audit row.
/// </summary>
public interface IAuditedChange
{
    /// <summary>Why the data change; null where a first save needs none.</summary>
    string? Reason { get; }
}

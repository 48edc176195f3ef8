namespace Edc.Domain.Common;

/// <summary>
/// A business rule or workflow state forbids the operation. The API answers 409 with <see cref="Rule"/>
/// as a stable machine-readable name, so clients can tell rules apart without parsing the message.
/// </summary>
public sealed class RuleViolationException(string rule, string message, IReadOnlyDictionary<string, object>? details = null) : Exception(message)
{
    public string Rule { get; } = rule;

    /// <summary>Facts the client needs to act on, e.g. which eligibility criteria failed.</summary>
    public IReadOnlyDictionary<string, object> Details { get; } = details ?? new Dictionary<string, object>();
}

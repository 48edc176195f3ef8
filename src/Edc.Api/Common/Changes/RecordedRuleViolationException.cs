using Edc.Domain.Common;

namespace Edc.Api.Common.Changes;

/// <summary>
/// A refusal that is itself part of the record (a participant found ineligible is saved as ScreenFailed): the change
/// is saved and committed, then the request is answered with the rule violation.
/// </summary>
public sealed class RecordedRuleViolationException(RuleViolationException violation) : Exception(violation.Message, violation)
{
    public RuleViolationException Violation { get; } = violation;
}

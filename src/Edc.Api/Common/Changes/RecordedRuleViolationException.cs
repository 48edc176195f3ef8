namespace Edc.Api.Common.Changes;

/// <summary>
/// A refusal that is itself part of the record (a participant found ineligible is saved as ScreenFailed; a signature
/// refused for a wrong password leaves its audit event and the account's failed attempt): the change is saved and
/// committed, then the request is answered with <see cref="Violation"/> (a rule violation, 409, or any other refusal).
/// </summary>
public sealed class RecordedRuleViolationException(Exception violation) : Exception(violation.Message, violation)
{
    public Exception Violation { get; } = violation;
}

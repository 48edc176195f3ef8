namespace Edc.Api.Common;

/// <summary>Too many failed sign-ins for an account or from an address: 429 with <c>Retry-After</c>.</summary>
public sealed class SignInThrottledException(TimeSpan retryAfter)
    : Exception("Too many failed sign-ins for this account or from this address; wait and try again.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

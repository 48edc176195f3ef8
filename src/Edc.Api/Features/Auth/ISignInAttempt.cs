namespace Edc.Api.Features.Auth;

/// <summary>A request that presents credentials: its failures are counted by <see cref="SignInLimitBehavior{TRequest, TResponse}"/>.</summary>
public interface ISignInAttempt
{
    /// <summary>The account the credentials name (an email), or null when they name none (a refresh token).</summary>
    string? Account { get; }
}

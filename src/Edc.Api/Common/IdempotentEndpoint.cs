namespace Edc.Api.Common;

/// <summary>Endpoint metadata: the endpoint creates something and honours an <c>Idempotency-Key</c> header.</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new([]);

    private IdempotentEndpoint(IReadOnlyList<string> secretFields) => SecretFields = secretFields;

    /// <summary>
    /// Top-level fields of the JSON body left out of the request's hash (a password entered again to sign): the hash is
    /// kept for a day and must not let a password be guessed offline, and a retry under the key with another password
    /// must not answer otherwise than with the right one (which would make the key an oracle not counted by the lockout).
    /// </summary>
    public IReadOnlyList<string> SecretFields { get; }

    public static IdempotentEndpoint LeavingOut(params string[] secretFields) => new(secretFields);
}

namespace Edc.Api.Common;

/// <summary>Endpoint metadata: the endpoint creates something and honours an <c>Idempotency-Key</c> header.</summary>
public sealed class IdempotentEndpoint
{
    public static readonly IdempotentEndpoint Instance = new();

    private IdempotentEndpoint()
    {
    }
}

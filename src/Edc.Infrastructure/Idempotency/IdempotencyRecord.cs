namespace Edc.Infrastructure.Idempotency;

/// <summary>
/// The first response to a creating POST sent with an Idempotency-Key, kept 24 hours so that a retry with the same
/// key and body gets the same answer and creates nothing. Keys are per user.
/// </summary>
public sealed class IdempotencyRecord
{
    public Guid UserId { get; set; }

    public string Key { get; set; } = string.Empty;

    /// <summary>SHA-256 of method, path and body: the same key with another request is refused (422).</summary>
    public string RequestHash { get; set; } = string.Empty;

    public DateTimeOffset CreatedAt { get; set; }

    /// <summary>Null while the first request is still running (a second one meanwhile gets 409).</summary>
    public DateTimeOffset? CompletedAt { get; set; }

    public int? StatusCode { get; set; }

    public string? ContentType { get; set; }

    public byte[]? ResponseBody { get; set; }

    public string? Location { get; set; }
}

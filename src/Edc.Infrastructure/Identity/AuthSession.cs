namespace Edc.Infrastructure.Identity;

/// <summary>
/// One login: the access and refresh tokens carry its id, and every request checks it, so logout,
/// deactivation and refresh-token reuse take effect at once on every API instance.
/// </summary>
public sealed class AuthSession
{
    public Guid Id { get; set; }

    public Guid UserId { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>The id of the only refresh token still valid for this session; an older one presented again revokes it.</summary>
    public Guid RefreshTokenId { get; set; }
}

using System.Security.Cryptography;
using System.Text;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Identity;

namespace Edc.Infrastructure.Identity;

/// <summary>An account. Accounts are deactivated, never deleted, so the audit trail keeps naming real people.</summary>
public sealed class EdcUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

public sealed class EdcRole : IdentityRole<Guid>
{
    /// <summary>Roles are fixed by the contract, so their ids are derived from their names: stable across databases.</summary>
    public static Guid IdOf(string role) =>
        new(SHA256.HashData(Encoding.UTF8.GetBytes("edc-role:" + role)).AsSpan(0, 16));

    public static readonly IReadOnlyDictionary<Guid, string> NamesById = Roles.All.ToDictionary(IdOf, r => r);
}

/// <summary>A site a user with a site-scoped role works at.</summary>
public sealed class UserSite
{
    public Guid UserId { get; set; }

    public Guid SiteId { get; set; }
}

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

/// <summary>ASP.NET Core Data Protection keys, kept in the database so every API instance reads the same tokens.</summary>
public sealed class DataProtectionKey
{
    public int Id { get; set; }

    public string? FriendlyName { get; set; }

    public string Xml { get; set; } = string.Empty;
}

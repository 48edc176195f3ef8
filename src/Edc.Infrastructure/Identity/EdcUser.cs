using Microsoft.AspNetCore.Identity;

namespace Edc.Infrastructure.Identity;

/// <summary>An account. Accounts are deactivated, never deleted, so the audit trail keeps naming real people.</summary>
public sealed class EdcUser : IdentityUser<Guid>
{
    public string DisplayName { get; set; } = string.Empty;

    public bool IsActive { get; set; } = true;

    public DateTimeOffset CreatedAt { get; set; }
}

namespace Edc.Infrastructure.Identity;

/// <summary>A site a user with a site-scoped role works at.</summary>
public sealed class UserSite
{
    public Guid UserId { get; set; }

    public Guid SiteId { get; set; }
}

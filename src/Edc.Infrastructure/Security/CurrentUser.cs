using Edc.Domain.Blinding;

namespace Edc.Infrastructure.Security;

/// <summary>
/// Who is acting in this request (or job), as checked against the database at the start of the request:
/// roles and sites come from the database, not the token, so a change applies at once.
/// </summary>
public sealed class CurrentUser
{
    private HashSet<Guid> _siteIds = [];

    public Guid? Id { get; private set; }

    public string? Email { get; private set; }

    public IReadOnlyList<string> Roles { get; private set; } = [];

    public IReadOnlySet<Guid> SiteIds => _siteIds;

    public bool IsAuthenticated => Id is not null;

    /// <summary>Holds a role that is not bound to sites (Admin, DsmbMember, UnblindedStatistician).</summary>
    public bool SeesAllSites => Viewer.SeesAllSites;

    /// <summary>The caller as the domain's blinding rules see it.</summary>
    public Viewer Viewer { get; private set; } = new(null, [], []);

    public void Set(Guid id, string? email, IEnumerable<string> roles, IEnumerable<Guid> siteIds)
    {
        Id = id;
        Email = email;
        Roles = [.. roles.Order(StringComparer.Ordinal)];
        _siteIds = [.. siteIds];
        Viewer = new Viewer(id, Roles, _siteIds);
    }

    public bool IsInRole(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsInAnyRole(params string[] roles) => roles.Any(IsInRole);

    public bool CanSeeSite(Guid siteId) => SeesAllSites || _siteIds.Contains(siteId);
}

namespace Edc.Domain.Blinding;

/// <summary>Who is asking, as the blinding rules need it: the account, its roles and its sites.</summary>
public sealed record Viewer(Guid? Id, IReadOnlyCollection<string> Roles, IReadOnlyCollection<Guid> SiteIds)
{
    public bool Is(string role) => Roles.Contains(role, StringComparer.Ordinal);

    public bool IsOfSite(Guid siteId) => SiteIds.Contains(siteId);

    /// <summary>Holds a role that is not bound to sites (Admin, DsmbMember, UnblindedStatistician).</summary>
    public bool SeesAllSites => Roles.Any(r => !Security.Roles.SiteScoped.Contains(r));
}

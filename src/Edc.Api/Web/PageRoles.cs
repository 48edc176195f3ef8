using Edc.Domain.Security;

namespace Edc.Api.Web;

/// <summary>
/// Role lists for pages' <c>[Authorize(Roles = ...)]</c>, which takes a constant: every page states who may open it,
/// and a page that states nothing is denied by the fallback policy.
/// </summary>
public static class PageRoles
{
    public const string Everyone =
        Roles.Admin + "," + Roles.Coordinator + "," + Roles.Investigator + "," + Roles.DsmbMember + "," + Roles.UnblindedStatistician + "," + Roles.Pharmacist;

    public const string DataEntry = Roles.Coordinator + "," + Roles.Investigator;

    public const string Admin = Roles.Admin;

    /// <summary>Who reads a trial's audit trail, as the API allows (Investigators their own sites' rows).</summary>
    public const string AuditReaders = Roles.Admin + "," + Roles.Investigator;
}

using Edc.Domain.Security;

namespace Edc.Api.Web;

/// <summary>
/// Role lists for pages' <c>[Authorize(Roles = ...)]</c>, which takes a constant: every page states who may open it,
/// and a page that states nothing is denied by the fallback policy.
/// </summary>
public static class PageRoles
{
    public const string Everyone =
        Roles.Admin + "," + Roles.Coordinator + "," + Roles.Investigator + "," + Roles.DsmbMember + "," + Roles.UnblindedStatistician + "," + Roles.Pharmacist + ","
        + Roles.Monitor + "," + Roles.DataManager;

    public const string DataEntry = Roles.Coordinator + "," + Roles.Investigator;

    public const string Admin = Roles.Admin;

    // Safety data (adverse events) is read by the clinical and oversight roles; the pharmacist, who may see arms, sees none of it.
    public const string SafetyReaders =
        Roles.Admin + "," + Roles.Coordinator + "," + Roles.Investigator + "," + Roles.DsmbMember + "," + Roles.UnblindedStatistician + ","
        + Roles.Monitor + "," + Roles.DataManager;

    public const string ExpeditedReports = Roles.Admin + "," + Roles.Investigator;

    public const string Investigator = Roles.Investigator;

    /// <summary>The board's safety summaries, as the API: the board and the unblinded statistician.</summary>
    public const string SafetyBoard = Roles.DsmbMember + "," + Roles.UnblindedStatistician;

    /// <summary>Unblinding requests, as the API lists them: the board asks, the statistician decides, the admin reads.</summary>
    public const string UnblindingRequests = Roles.DsmbMember + "," + Roles.UnblindedStatistician + "," + Roles.Admin;

    public const string UnblindedStatistician = Roles.UnblindedStatistician;

    public const string Pharmacist = Roles.Pharmacist;

    /// <summary>Who reads a trial's audit trail, as the API allows (Investigators and monitors their own sites' rows).</summary>
    public const string AuditReaders = Roles.Admin + "," + Roles.Investigator + "," + Roles.Monitor + "," + Roles.DataManager;
}

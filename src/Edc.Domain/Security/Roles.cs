namespace Edc.Domain.Security;

/// <summary>The roles of the API contract. A user has one or more; site-scoped roles also have a set of sites.</summary>
public static class Roles
{
    public const string Admin = "Admin";
    public const string Coordinator = "Coordinator";
    public const string Investigator = "Investigator";
    public const string DsmbMember = "DsmbMember";
    public const string UnblindedStatistician = "UnblindedStatistician";
    public const string Pharmacist = "Pharmacist";
    public const string Monitor = "Monitor";
    public const string DataManager = "DataManager";

    public static readonly IReadOnlyList<string> All =
        [Admin, Coordinator, Investigator, DsmbMember, UnblindedStatistician, Pharmacist, Monitor, DataManager];

    /// <summary>Roles whose holders see only the data of the sites they are assigned to.</summary>
    public static readonly IReadOnlySet<string> SiteScoped =
        new HashSet<string>(StringComparer.Ordinal) { Coordinator, Investigator, Pharmacist, Monitor };

    /// <summary>Roles that see arms. An account holding one holds no other role, so no blinded work is done unblinded.</summary>
    public static readonly IReadOnlySet<string> Unblinded =
        new HashSet<string>(StringComparer.Ordinal) { UnblindedStatistician, Pharmacist };

    public static bool AreSeparated(IReadOnlyCollection<string> roles) =>
        roles.Distinct(StringComparer.Ordinal).Count() == 1 || !roles.Any(Unblinded.Contains);

    /// <summary>
    /// Whoever checks the data does not enter it: a monitor or data manager holds no data entry role (a monitor verifying
    /// their own entries would verify nothing, and a data manager with a site role would enter data at every site).
    /// </summary>
    public static bool KeepReviewApartFromEntry(IReadOnlyCollection<string> roles) =>
        !roles.Any(r => r is Monitor or DataManager) || !roles.Any(r => r is Coordinator or Investigator);

    public static bool IsKnown(string role) => All.Contains(role, StringComparer.Ordinal);
}

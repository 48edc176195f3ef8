using System.Text;

namespace Edc.Api.Features.Exports.Odm;

/// <summary>The OIDs Edc gives the elements of an ODM document (docs/odm.md), one place for the export and the import.</summary>
public static class OdmOids
{
    public const string Namespace = "http://www.cdisc.org/ns/odm/v1.3";

    /// <summary>FormalExpression context of Edc's expression language (conditions and methods).</summary>
    public const string ExpressionContext = "Edc";

    /// <summary>The Alias context of what ODM has no attribute for (multiple choice items, earlier versions' items).</summary>
    public const string AliasContext = "Edc";

    public const string MultiChoiceAlias = "multiChoice";

    public const string EarlierVersionsAlias = "earlier versions";

    /// <summary>The form the export adds for the randomization (number, time and, after the final unblinding, the arm).</summary>
    public const string RandomizationForm = "RANDOMIZATION";

    public const string UnscheduledEvent = "SE.UNS";

    /// <summary>The study event of the data kept per participant rather than per visit: log forms and the randomization.</summary>
    public const string SubjectEvent = "SE.SUBJECT";

    public const string SystemUser = "USR.SYSTEM";

    public static string Study(string trialCode) => "ST." + trialCode;

    public static string MetaDataVersion(int formsRevision) => "MDV." + formsRevision.ToString(System.Globalization.CultureInfo.InvariantCulture);

    public static string StudyEvent(string visitCode) => "SE." + visitCode;

    public static string Form(string formCode) => "F." + formCode;

    public static string ItemGroup(string formCode) => "IG." + formCode;

    public static string EarlierItemGroup(string formCode) => "IG." + formCode + ".EARLIER";

    public static string Item(string formCode, string itemCode) => $"I.{formCode}.{itemCode}";

    public static string CodeList(string formCode, string itemCode) => $"CL.{formCode}.{itemCode}";

    public static string Condition(string formCode, string itemCode) => $"CD.{formCode}.{itemCode}";

    public static string Method(string formCode, string itemCode) => $"MT.{formCode}.{itemCode}";

    public static string User(Guid? userId) => userId is { } id ? "USR." + id : SystemUser;

    public static string Location(string siteCode) => "LOC." + siteCode;

    public static string SignatureDef(string meaning) => "SD." + meaning;

    public static string MeasurementUnit(string units)
    {
        var oid = new StringBuilder("MU.");
        foreach (var c in units)
        {
            oid.Append(char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_');
        }

        return oid.ToString();
    }
}

namespace Edc.Domain.Forms;

/// <summary>The codes under which the built-in forms take part as forms (the contract fixes them).</summary>
public static class BuiltInFormCodes
{
    public const string Mrss = "MRSS";
    public const string Infusion = "INFUSION";
    public const string AdverseEvent = "AE";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal) { Mrss, Infusion, AdverseEvent };

    /// <summary>The built-in forms that are log forms (entries at participant level, not listed at visits).</summary>
    public static readonly IReadOnlySet<string> Logs = new HashSet<string>(StringComparer.Ordinal) { AdverseEvent };
}

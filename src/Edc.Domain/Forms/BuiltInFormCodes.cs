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

    // The procedures the first release named visits' built-in data by, and the forms that hold those data.
    private static readonly (string Procedure, string Form)[] ProcedureForms = [("Mrss", Mrss), ("Infusion", Infusion)];

    /// <summary>
    /// A visit's procedures and forms made to agree: a procedure with a built-in form lists that form, and a listed
    /// built-in form adds its procedure (which the built-in form's entry asks for). Built-in forms come first.
    /// </summary>
    public static (List<string> Procedures, List<string> Forms) WithProcedures(IReadOnlyList<string> procedures, IReadOnlyList<string> forms)
    {
        var implied = ProcedureForms.Where(p => procedures.Contains(p.Procedure, StringComparer.OrdinalIgnoreCase) || forms.Contains(p.Form));
        return (
            [.. procedures, .. implied.Where(p => !procedures.Contains(p.Procedure, StringComparer.OrdinalIgnoreCase)).Select(p => p.Procedure)],
            [.. implied.Select(p => p.Form), .. forms.Where(f => !ProcedureForms.Any(p => p.Form == f))]);
    }
}

using Edc.Domain.Safety;
using Edc.Domain.Visits;

namespace Edc.Domain.Forms;

/// <summary>
/// The built-in forms described as forms, under their fixed codes, so that whatever addresses a form or an item (its
/// values read as a form, queries, verification, signatures, ODM) addresses them too. Their data stay in their own
/// tables, entered through their own endpoints.
/// </summary>
public static class BuiltInForms
{
    public static readonly IReadOnlyDictionary<string, string> MrssAreaLabels = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["face"] = "Face",
        ["anteriorChest"] = "Anterior chest",
        ["abdomen"] = "Abdomen",
        ["rightFingers"] = "Right fingers",
        ["leftFingers"] = "Left fingers",
        ["rightHand"] = "Right hand",
        ["leftHand"] = "Left hand",
        ["rightForearm"] = "Right forearm",
        ["leftForearm"] = "Left forearm",
        ["rightUpperArm"] = "Right upper arm",
        ["leftUpperArm"] = "Left upper arm",
        ["rightThigh"] = "Right thigh",
        ["leftThigh"] = "Left thigh",
        ["rightLowerLeg"] = "Right lower leg",
        ["leftLowerLeg"] = "Left lower leg",
        ["rightFoot"] = "Right foot",
        ["leftFoot"] = "Left foot",
    };

    public static readonly FormSpec Mrss = new(BuiltInFormCodes.Mrss, "Modified Rodnan skin score", Log: false,
    [
        new("assessedOn", "Assessed on", ItemType.Date, Required: true),
        new("assessorName", "Assessor", ItemType.Text, Required: true, MaxLength: 200),
        .. MrssAssessment.Areas.Select(area => new ItemSpec(area, MrssAreaLabels[area], ItemType.Integer, Required: true, Range: new NumberRange(0, 3))),
        new("total", "Total", ItemType.Calculated, Expression: $"sum({string.Join(", ", MrssAssessment.Areas)})"),
    ]);

    public static readonly FormSpec Infusion = new(BuiltInFormCodes.Infusion, "Infusion", Log: false,
    [
        new("administeredAt", "Administered at", ItemType.DateTime),
        new("kitNumber", "Kit number", ItemType.Text, MaxLength: 40),
        new("notAdministeredReason", "Reason not administered", ItemType.Text, MaxLength: 2000),
    ]);

    public static readonly FormSpec AdverseEvent = new(BuiltInFormCodes.AdverseEvent, "Adverse event", Log: true,
    [
        new("term", "Term", ItemType.Text, Required: true, MaxLength: 200),
        new("onsetDate", "Onset date", ItemType.Date, Required: true),
        new("endDate", "End date", ItemType.Date),
        new("ongoing", "Ongoing", ItemType.Boolean, Required: true),
        new("grade", "Grade", ItemType.Integer, Required: true, Range: new NumberRange(1, 5)),
        new("serious", "Serious", ItemType.Boolean, Required: true),
        new("seriousnessCriteria", "Seriousness criteria", ItemType.MultiChoice, CodeList: CodesOf<SeriousnessCriterion>(), ShowIf: "serious"),
        new("relatedness", "Relatedness", ItemType.Choice, Required: true, CodeList: CodesOf<Relatedness>()),
        new("expected", "Expected", ItemType.Boolean),
        new("actionTaken", "Action taken", ItemType.Choice, Required: true, CodeList: CodesOf<ActionTaken>()),
        new("outcome", "Outcome", ItemType.Choice, Required: true, CodeList: CodesOf<AdverseEventOutcome>()),
        new("awareAt", "Site aware at", ItemType.DateTime, Required: true),
    ]);

    /// <summary>The built-in forms' definitions (version 1, they do not change with a trial).</summary>
    public static readonly IReadOnlyList<VersionedForm> All = [.. new[] { Mrss, Infusion, AdverseEvent }.Select(Defined)];

    private static VersionedForm Defined(FormSpec spec)
    {
        var (form, problems) = FormDefinition.Define(spec, _ => null);
        return form is not null
            ? new VersionedForm(1, form)
            : throw new InvalidOperationException($"The built-in form {spec.Code} does not define: {string.Join("; ", problems.Select(p => $"{p.Path}: {p.Message}"))}");
    }

    private static List<CodeListEntry> CodesOf<TEnum>()
        where TEnum : struct, Enum =>
        [.. Enum.GetNames<TEnum>().Select(name => new CodeListEntry(name, name))];
}

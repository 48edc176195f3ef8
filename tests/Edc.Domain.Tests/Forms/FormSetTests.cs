using Edc.Domain.Forms;

namespace Edc.Domain.Tests.Forms;

/// <summary>A trial's forms checked with its schedule: what each visit lists, and what each form may read of the others.</summary>
public sealed class FormSetTests
{
    private static readonly FormSpec Demographics = new("DM", "Demographics", false,
        [new ItemSpec("SEX", "Sex", ItemType.Choice, CodeList: [new("F", "Female"), new("M", "Male")])]);

    private static readonly FormSpec Medications = new("CM", "Concomitant medications", true,
        [new ItemSpec("DRUG", "Drug", ItemType.Text, Required: true)]);

    private static readonly VisitForms Screening = new("SCR", -28, ["DM", "MRSS"]);

    private static IReadOnlyList<DefinitionProblem> Problems(IReadOnlyList<FormSpec> forms, params VisitForms[] visits)
    {
        var (set, problems) = FormSet.Define(forms, visits);
        Assert.Null(set);
        return problems;
    }

    [Fact]
    public void Define_TheDemonstrationShape_ReadsTheScreeningDemographicsFromAnInfusionVisit()
    {
        var (set, problems) = FormSet.Define(
            [Demographics, FormDefinitionTests.VitalSigns, Medications],
            [Screening, new VisitForms("D0", 0, ["MRSS", "INFUSION", "VS"])]);
        Assert.Empty(problems);
        Assert.Equal(["DM", "VS", "CM"], set!.Forms.Select(f => f.Code));
        Assert.True(set.Find("CM")!.Spec.Log);
    }

    [Fact]
    public void Define_AFormNamingOneListedAfterIt_FindsNoSuchItem() =>
        DefinitionProblems.AssertHas(Problems([FormDefinitionTests.VitalSigns, Demographics], Screening), "forms[0].items[2].showIf", "'DM.SEX' is not an item");

    [Fact]
    public void Define_AFormReadingAFormOfAnotherVisit_IsRefusedAtTheVisit()
    {
        var week = new FormSpec("WK", "Weekly", false, [new ItemSpec("Q", "Question", ItemType.Text, ShowIf: "VS.WEIGHT > 100")]);
        var problems = Problems(
            [Demographics, FormDefinitionTests.VitalSigns, week],
            Screening, new VisitForms("D0", 0, ["VS"]), new VisitForms("W2", 14, ["WK"]));
        DefinitionProblems.AssertHas(problems, "visitDefinitions[2].forms[0]", "WK names VS.WEIGHT, but VS is neither at W2 nor at the screening visit SCR");
    }

    [Fact]
    public void Define_AFormReadingALogForm_IsRefused()
    {
        var reads = new FormSpec("RD", "Reads", false, [new ItemSpec("Q", "Question", ItemType.Text, ShowIf: "CM.DRUG = 'X'")]);
        DefinitionProblems.AssertHas(Problems([Medications, reads], new VisitForms("D0", 0, ["RD"])), "visitDefinitions[0].forms[0]", "an item of a log form");
    }

    [Fact]
    public void Define_VisitListsThatDoNotHold_AreEachNamed()
    {
        var problems = Problems([Demographics, Medications], new VisitForms("SCR", 0, ["DM", "DM", "CM", "AE", "XYZ"]));
        DefinitionProblems.AssertHas(problems, "visitDefinitions[0].forms[1]", "DM is listed twice at SCR");
        DefinitionProblems.AssertHas(problems, "visitDefinitions[0].forms[2]", "CM is a log form");
        DefinitionProblems.AssertHas(problems, "visitDefinitions[0].forms[3]", "AE is a log form");
        DefinitionProblems.AssertHas(problems, "visitDefinitions[0].forms[4]", "XYZ is not a form of the trial");
    }

    [Fact]
    public void Define_FormCodesThatClash_AreRefused()
    {
        var problems = Problems([Demographics, Demographics with { Name = "Again" }, Demographics with { Code = "MRSS" }]);
        DefinitionProblems.AssertHas(problems, "forms[1].code", "Another form has the code DM");
        DefinitionProblems.AssertHas(problems, "forms[2].code", "MRSS is a built-in form's code");
    }

    [Fact]
    public void Define_AFormsOwnProblems_AreAtItsPathInTheTrial() =>
        DefinitionProblems.AssertHas(Problems([Demographics, new FormSpec("BAD", "Bad", false, [new ItemSpec("A", "A", ItemType.Choice)])]),
            "forms[1].items[0].codeList", "needs a code list");
}

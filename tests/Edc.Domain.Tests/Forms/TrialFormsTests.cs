using Edc.Domain.Common;
using Edc.Domain.Forms;
using Edc.Domain.Trials;

namespace Edc.Domain.Tests.Forms;

/// <summary>A trial's forms as stored: defined with the trial, new versions checked with the others, read back as a catalog.</summary>
public sealed class TrialFormsTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);

    private static readonly FormSpec Demographics = new("DM", "Demographics", false,
        [new ItemSpec("SEX", "Sex", ItemType.Choice, Required: true, CodeList: [new("F", "Female"), new("M", "Male")])]);

    private static readonly FormSpec Medications = new("CM", "Concomitant medications", true,
        [new ItemSpec("DRUG", "Drug", ItemType.Text, Required: true)]);

    private static Trial NewTrial(params FormSpec[] forms) => Trial.Define(
        new TrialDefinition(
            "T1", "Trial one", [new ArmSpec("A", "Active", 1), new ArmSpec("P", "Placebo", 1)],
            [new VisitSpec("SCR", "Screening", -28, 0, 28, ["Mrss"], ["DM"]), new VisitSpec("D0", "Day 0", 0, 0, 0, ["Infusion"], ["VS"])],
            [], [], forms),
        Now);

    [Fact]
    public void Define_WithForms_StoresVersionOneOfEachAndListsTheBuiltInFormsOfTheProcedures()
    {
        var trial = NewTrial(Demographics, FormDefinitionTests.VitalSigns, Medications);

        Assert.Equal(["DM", "VS", "CM"], trial.Forms.Select(f => f.Code));
        Assert.All(trial.Forms, f => Assert.Equal(1, f.Version));
        Assert.Equal(3, trial.FormsRevision);
        Assert.Equal(["MRSS", "DM"], trial.Visits[0].Forms);
        Assert.Equal(["INFUSION", "VS"], trial.Visits[1].Forms);
        Assert.Equal(FormDefinitionTests.VitalSigns.Items.Count, trial.Forms[1].Spec().Items.Count);
    }

    [Fact]
    public void Define_WithAFormSetThatDoesNotHold_IsARuleViolation()
    {
        var violation = Assert.Throws<RuleViolationException>(() => NewTrial(FormDefinitionTests.VitalSigns, Demographics));

        Assert.Equal(RuleCodes.FormDefinitionInvalid, violation.Rule);
        Assert.Contains("DM.SEX", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void WithProcedures_ListedBuiltInFormsAddTheirProcedure_AndProceduresTheirForm()
    {
        var (procedures, forms) = BuiltInFormCodes.WithProcedures(["AeReview", "mrss"], ["VS", "INFUSION"]);

        Assert.Equal(["AeReview", "mrss", "Infusion"], procedures);
        Assert.Equal(["MRSS", "INFUSION", "VS"], forms);
    }

    [Fact]
    public void AddFormVersion_OfAnExistingCode_AddsTheNextVersion_AndTheCatalogKeepsBoth()
    {
        var trial = NewTrial(Demographics, FormDefinitionTests.VitalSigns);
        var heavier = FormDefinitionTests.VitalSigns with
        {
            Items = [.. FormDefinitionTests.VitalSigns.Items, new ItemSpec("HEIGHT", "Height", ItemType.Integer, Units: "cm")],
        };

        var (added, problems) = trial.AddFormVersion(heavier, trial.Forms, Now);

        Assert.Empty(problems);
        Assert.Equal(2, added!.Version);
        Assert.Equal(3, trial.FormsRevision);
        var catalog = FormCatalog.Build([.. trial.Forms, added], trial.Visits.Select(v => (v.Code, (IReadOnlyList<string>)v.Forms)));
        Assert.Equal(2, catalog.Latest("VS")!.Version);
        Assert.Null(catalog.Find("VS", 1)!.Definition.Item("HEIGHT"));
        Assert.NotNull(catalog.Find("VS", 2)!.Definition.Item("HEIGHT"));
        Assert.Equal(["MRSS", "INFUSION", "AE", "DM", "VS"], catalog.Codes);
        Assert.Equal(["INFUSION", "VS"], catalog.FormsAt("D0"));
    }

    [Fact]
    public void AddFormVersion_ThatBreaksAnotherForm_NamesThatForm()
    {
        var trial = NewTrial(Demographics, FormDefinitionTests.VitalSigns);
        var withoutSex = Demographics with { Items = [new ItemSpec("BIRTHYEAR", "Year of birth", ItemType.Integer)] };

        var (added, problems) = trial.AddFormVersion(withoutSex, trial.Forms, Now);

        Assert.Null(added);
        var problem = Assert.Single(problems);
        Assert.Equal("items", problem.Path);
        Assert.Contains("the form VS", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AddFormVersion_TurningAVisitFormIntoALogForm_IsRefused()
    {
        var trial = NewTrial(Demographics, FormDefinitionTests.VitalSigns, Medications);

        var (added, problems) = trial.AddFormVersion(Medications with { Log = false }, trial.Forms, Now);

        Assert.Null(added);
        DefinitionProblems.AssertHas(problems, "log", "log form");
    }

    [Fact]
    public void AddFormVersion_AfterTheLock_IsARuleViolation()
    {
        var trial = NewTrial(Demographics, FormDefinitionTests.VitalSigns);
        trial.Lock(Now);

        Assert.Equal(RuleCodes.TrialLocked, Assert.Throws<RuleViolationException>(() => trial.AddFormVersion(Demographics, trial.Forms, Now)).Rule);
    }

    [Fact]
    public void FormValues_WrittenAndReadBack_KeepTheirTypesAndTheFormsOrder()
    {
        var form = FormDefinition.Define(new FormSpec("X", "Every type", false,
        [
            new ItemSpec("T", "Text", ItemType.Text), new ItemSpec("N", "Number", ItemType.Decimal, Precision: 2),
            new ItemSpec("D", "Date", ItemType.Date), new ItemSpec("DT", "Date and time", ItemType.DateTime),
            new ItemSpec("B", "Boolean", ItemType.Boolean), new ItemSpec("M", "Codes", ItemType.MultiChoice, CodeList: [new("A", "A"), new("B", "B")]),
        ]), _ => null).Form!;
        var values = new Dictionary<string, object>
        {
            ["M"] = new List<string> { "B", "A" },
            ["B"] = true,
            ["DT"] = new DateTimeOffset(2026, 12, 7, 10, 30, 0, TimeSpan.FromHours(1)),
            ["D"] = new DateOnly(2026, 12, 7),
            ["N"] = 12.50m,
            ["T"] = "x",
        };

        var json = FormValues.Write(form, values);
        var read = FormValues.Read(form, json);

        Assert.Equal("""{"T":"x","N":12.50,"D":"2026-12-07","DT":"2026-12-07T09:30:00Z","B":true,"M":["B","A"]}""", json);
        Assert.Equal(12.50m, read["N"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero), read["DT"]);
        Assert.Equal(new DateOnly(2026, 12, 7), read["D"]);
        Assert.Equal(["B", "A"], (IEnumerable<string>)read["M"]);
        Assert.Equal(json, FormValues.Write(form, read));
    }
}

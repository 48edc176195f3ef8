using Edc.Domain.Forms;

namespace Edc.Domain.Tests.Forms;

/// <summary>Values entered on a form: typed, in range, asked only when shown, calculated by the server.</summary>
public sealed class FormEntryTests
{
    private static readonly FormDefinition VitalSigns = FormDefinitionTests.Define(FormDefinitionTests.VitalSigns);

    private static readonly FormDefinition Everything = FormDefinitionTests.Define(new FormSpec("ALL", "Every type", false,
    [
        new ItemSpec("TXT", "Comment", ItemType.Text, MaxLength: 5),
        new ItemSpec("INT", "Heart rate", ItemType.Integer, Units: "bpm", Range: new(30, 220)),
        new ItemSpec("DEC", "Temperature", ItemType.Decimal, Precision: 1),
        new ItemSpec("DAT", "Visit date", ItemType.Date),
        new ItemSpec("DTM", "Taken at", ItemType.DateTime),
        new ItemSpec("YES", "Fasting", ItemType.Boolean),
        new ItemSpec("ONE", "Route", ItemType.Choice, CodeList: [new("IV", "Intravenous"), new("SC", "Subcutaneous")]),
        new ItemSpec("MANY", "Symptoms", ItemType.MultiChoice, CodeList: [new("FEVER", "Fever"), new("OTHER", "Other")]),
        new ItemSpec("OTHSP", "Other symptom", ItemType.Text, ShowIf: "MANY = 'OTHER'"),
    ]));

    private static FormEntryOutcome Enter(FormDefinition form, Dictionary<string, object?> values, string? sex = "F") =>
        FormEntry.Check(form, values, r => r.ToString() == "DM.SEX" ? sex : null);

    [Fact]
    public void Check_AWomansVitalSigns_ComputesTheDoseAndAsksThePregnancyTest()
    {
        var outcome = Enter(VitalSigns, new() { ["WEIGHT"] = 72.4m, ["PREG"] = "NEG" });
        Assert.Empty(outcome.Errors);
        Assert.Equal(724m, outcome.Values["DOSE"]);
        Assert.Equal("NEG", outcome.Values["PREG"]);
        Assert.Equal(FormStatus.Complete, outcome.Status);
    }

    [Fact]
    public void Check_ARequiredItemMissingWhileShown_LeavesTheFormInProgress()
    {
        var outcome = Enter(VitalSigns, new() { ["WEIGHT"] = 70m });
        Assert.Empty(outcome.Errors);
        Assert.Equal(FormStatus.InProgress, outcome.Status);
        Assert.Equal(700m, outcome.Values["DOSE"]);
    }

    [Fact]
    public void Check_AMansVitalSigns_NeedNoPregnancyTest_AndRefuseOne()
    {
        Assert.Equal(FormStatus.Complete, Enter(VitalSigns, new() { ["WEIGHT"] = 80m }, sex: "M").Status);
        var withTest = Enter(VitalSigns, new() { ["WEIGHT"] = 80m, ["PREG"] = "NEG" }, sex: "M");
        Assert.Equal("Pregnancy test must be empty: it is not asked here (DM.SEX = 'F' does not hold).", withTest.Errors["PREG"]);
        // Unknown sex: the condition is not met, so the test is not asked either.
        Assert.Equal(FormStatus.Complete, Enter(VitalSigns, new() { ["WEIGHT"] = 80m }, sex: null).Status);
    }

    [Fact]
    public void Check_ListsTheItemsNotAskedWithTheseValues_WhichAPageHides()
    {
        Assert.Equal(["PREG"], Enter(VitalSigns, new() { ["WEIGHT"] = 80m }, sex: "M").Hidden);
        Assert.Empty(Enter(VitalSigns, new() { ["WEIGHT"] = 80m }, sex: "F").Hidden);
        // A value of the form itself: asked once it holds, even on values with errors.
        Assert.Equal(["OTHSP"], Enter(Everything, new() { ["MANY"] = new List<string> { "FEVER" } }).Hidden);
        Assert.Empty(Enter(Everything, new() { ["MANY"] = new List<string> { "OTHER" }, ["INT"] = 999m }).Hidden);
    }

    [Fact]
    public void Check_NothingEntered_LeavesNoValueAndTheFormInProgress()
    {
        var outcome = Enter(VitalSigns, new() { ["WEIGHT"] = null, ["PREG"] = "" });
        Assert.Empty(outcome.Errors);
        Assert.Empty(outcome.Values);
        Assert.Equal(FormStatus.InProgress, outcome.Status);
    }

    [Fact]
    public void Check_OutsideTheHardRange_IsAnError_OutsideTheSoftRange_AWarning()
    {
        Assert.Equal("Weight must be 25 to 250 kg.", Enter(VitalSigns, new() { ["WEIGHT"] = 251m, ["PREG"] = "NEG" }).Errors["WEIGHT"]);
        var heavy = Enter(VitalSigns, new() { ["WEIGHT"] = 160m, ["PREG"] = "NEG" });
        Assert.Empty(heavy.Errors);
        Assert.Equal(160m, heavy.Values["WEIGHT"]);
        var warning = Assert.Single(heavy.Warnings);
        Assert.Equal("WEIGHT", warning.ItemCode);
        Assert.Equal("Weight is 160 kg, outside the expected 40 to 150 kg: please check it.", warning.Message);
    }

    [Fact]
    public void Check_ACalculatedItemSent_OrAnItemNotOfTheForm_IsAnError()
    {
        var outcome = Enter(VitalSigns, new() { ["WEIGHT"] = 70m, ["DOSE"] = 700m, ["HEIGHT"] = 180m });
        Assert.Equal("Dose at 10 mg/kg is calculated by the server: leave it out.", outcome.Errors["DOSE"]);
        Assert.Equal("HEIGHT is not an item of the form VS.", outcome.Errors["HEIGHT"]);
    }

    [Fact]
    public void Check_EveryTypeTakesItsOwnKindOfValue()
    {
        var outcome = Enter(Everything, new()
        {
            ["TXT"] = "ok",
            ["INT"] = 72m,
            ["DEC"] = 36.60m,
            ["DAT"] = "2026-12-07",
            ["DTM"] = "2026-12-07T10:30:00+01:00",
            ["YES"] = true,
            ["ONE"] = "IV",
            ["MANY"] = new List<string> { "FEVER", "OTHER" },
            ["OTHSP"] = "Cough",
        });
        Assert.Empty(outcome.Errors);
        Assert.Equal(new DateOnly(2026, 12, 7), outcome.Values["DAT"]);
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 9, 30, 0, TimeSpan.Zero), outcome.Values["DTM"]);
        Assert.Equal(TimeSpan.Zero, ((DateTimeOffset)outcome.Values["DTM"]).Offset);
        Assert.Equal(["FEVER", "OTHER"], (IEnumerable<string>)outcome.Values["MANY"]);
        Assert.Equal("Cough", outcome.Values["OTHSP"]);
    }

    [Fact]
    public void Check_AValueOfTheWrongKind_NamesWhatTheItemTakes()
    {
        var errors = Enter(Everything, new()
        {
            ["TXT"] = "too long",
            ["INT"] = 72.5m,
            ["DEC"] = 36.65m,
            ["DAT"] = "07/12/2026",
            ["DTM"] = "2026-12-07T10:30:00",
            ["YES"] = "yes",
            ["ONE"] = "IM",
            ["MANY"] = new List<string> { "FEVER", "FEVER" },
            ["OTHSP"] = "Cough",
        }).Errors;
        Assert.Equal("Comment has 5 characters at most.", errors["TXT"]);
        Assert.Equal("Heart rate is a whole number.", errors["INT"]);
        Assert.Equal("Temperature has 1 decimal at most.", errors["DEC"]);
        Assert.Equal("Visit date is a date written yyyy-MM-dd.", errors["DAT"]);
        Assert.Contains("with its offset", errors["DTM"], StringComparison.Ordinal);
        Assert.Equal("Fasting takes true or false.", errors["YES"]);
        Assert.Equal("Route is one of IV (Intravenous), SC (Subcutaneous).", errors["ONE"]);
        Assert.Equal("Symptoms lists some of FEVER (Fever), OTHER (Other), each once.", errors["MANY"]);
        // Other symptom is shown only when OTHER is among the symptoms, which is not established here.
        Assert.Contains("must be empty", errors["OTHSP"], StringComparison.Ordinal);
        Assert.Equal("Heart rate takes a whole number.", Enter(Everything, new() { ["INT"] = "72" }).Errors["INT"]);
    }

    [Fact]
    public void Check_TrailingZerosBeyondThePrecision_AreTheSameNumber() =>
        Assert.Empty(Enter(Everything, new() { ["DEC"] = 36.600m }).Errors);
}

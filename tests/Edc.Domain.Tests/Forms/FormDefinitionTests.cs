using Edc.Domain.Forms;
using Edc.Domain.Forms.Expressions;

namespace Edc.Domain.Tests.Forms;

/// <summary>A form's definition is checked whole: each problem at its path, with words an author can act on.</summary>
public sealed class FormDefinitionTests
{
    private static readonly CodeListEntry[] Sexes = [new("F", "Female"), new("M", "Male")];

    internal static readonly FormDefinition Demographics = Define(new FormSpec("DM", "Demographics", false,
    [
        new ItemSpec("SEX", "Sex", ItemType.Choice, Required: true, CodeList: Sexes),
        new ItemSpec("BRTHYR", "Year of birth", ItemType.Integer, Range: new NumberRange(1900, 2010)),
    ]));

    // The contract's example: a calculated dose and a pregnancy test asked of women only.
    internal static readonly FormSpec VitalSigns = new("VS", "Vital signs", false,
    [
        new ItemSpec("WEIGHT", "Weight", ItemType.Decimal, Required: true, Precision: 1, Units: "kg",
            Range: new NumberRange(25, 250), SoftRange: new NumberRange(40, 150)),
        new ItemSpec("DOSE", "Dose at 10 mg/kg", ItemType.Calculated, Units: "mg", Expression: "round(WEIGHT * 10, 0)"),
        new ItemSpec("PREG", "Pregnancy test", ItemType.Choice, Required: true, ShowIf: "DM.SEX = 'F'",
            CodeList: [new("NEG", "Negative"), new("POS", "Positive")]),
    ]);

    internal static FormDefinition Define(FormSpec spec)
    {
        var (form, problems) = FormDefinition.Define(spec, OtherForm);
        Assert.Empty(problems);
        return form!;
    }

    private static FormDefinition? OtherForm(string code) => code == "DM" ? Demographics : null;

    private static IReadOnlyList<DefinitionProblem> Problems(params ItemSpec[] items)
    {
        var (form, problems) = FormDefinition.Define(new FormSpec("TEST", "Test", false, items), OtherForm);
        Assert.Null(form);
        return problems;
    }

    [Fact]
    public void Define_TheContractsVitalSigns_KnowsTheDoseIsANumberAndEvaluatesItAfterTheWeight()
    {
        var form = Define(VitalSigns);
        Assert.Equal(ValueKind.Number, form.Kinds["DOSE"]);
        Assert.Equal(ValueKind.Text, form.Kinds["PREG"]);
        Assert.Equal(new ItemReference("DM", "SEX"), Assert.IsType<BinaryExpression>(form.ShowIfs["PREG"]).Left);
        Assert.True(form.EvaluationOrder.ToList().FindIndex(i => i.Code == "WEIGHT") < form.EvaluationOrder.ToList().FindIndex(i => i.Code == "DOSE"));
    }

    [Fact]
    public void Define_ACalculatedItemBeforeItsInputs_IsEvaluatedAfterThem()
    {
        var form = Define(new FormSpec("BMI", "Body mass", false,
        [
            new ItemSpec("BMI", "BMI", ItemType.Calculated, Expression: "round(WEIGHT / (HEIGHT * HEIGHT), 1)"),
            new ItemSpec("OBESE", "Obese", ItemType.Calculated, Expression: "BMI >= 30"),
            new ItemSpec("WEIGHT", "Weight", ItemType.Decimal),
            new ItemSpec("HEIGHT", "Height", ItemType.Decimal),
        ]));
        Assert.Equal(["WEIGHT", "HEIGHT", "BMI", "OBESE"], form.EvaluationOrder.Select(i => i.Code));
        Assert.Equal(ValueKind.Boolean, form.Kinds["OBESE"]);
    }

    [Fact]
    public void Define_AnUnknownItemInAnExpression_IsNamedAtTheExpression() =>
        DefinitionProblems.AssertHas(Problems(
            new ItemSpec("A", "A", ItemType.Integer),
            new ItemSpec("B", "B", ItemType.Calculated, Expression: "A + C")), "items[1].expression", "'C' is not an item");

    [Fact]
    public void Define_AnItemOfAnUnknownForm_IsNamed() =>
        DefinitionProblems.AssertHas(Problems(new ItemSpec("A", "A", ItemType.Integer, ShowIf: "XX.SEX = 'F'")), "items[0].showIf", "'XX.SEX' is not an item");

    [Fact]
    public void Define_CalculatedItemsInACircle_AreRefusedNamingTheCircle()
    {
        var problems = Problems(
            new ItemSpec("A", "A", ItemType.Calculated, Expression: "B + 1"),
            new ItemSpec("B", "B", ItemType.Calculated, Expression: "C + 1"),
            new ItemSpec("C", "C", ItemType.Calculated, Expression: "A + 1"));
        DefinitionProblems.AssertHas(problems, "items[0]", "A → B → C → A");
    }

    [Fact]
    public void Define_AShowIfOnItself_IsACircle() =>
        DefinitionProblems.AssertHas(Problems(new ItemSpec("A", "A", ItemType.Integer, ShowIf: "A > 1")), "items[0]", "A → A");

    [Fact]
    public void Define_ShowIfsInACircle_AreRefused() =>
        DefinitionProblems.AssertHas(Problems(
            new ItemSpec("A", "A", ItemType.Integer, ShowIf: "B > 1"),
            new ItemSpec("B", "B", ItemType.Integer, ShowIf: "A > 1")), "items[0]", "A → B → A");

    [Theory]
    [InlineData(ItemType.Choice)]
    [InlineData(ItemType.MultiChoice)]
    public void Define_AChoiceWithoutCodeList_IsRefused(ItemType type) =>
        DefinitionProblems.AssertHas(Problems(new ItemSpec("A", "A", type)), "items[0].codeList", "needs a code list");

    [Fact]
    public void Define_ASoftRangeOutsideTheHardOne_IsRefused()
    {
        DefinitionProblems.AssertHas(Problems(new ItemSpec("A", "A", ItemType.Decimal, Range: new(25, 250), SoftRange: new(20, 150))), "items[0].softRange", "inside the range (25 to 250)");
        DefinitionProblems.AssertHas(Problems(new ItemSpec("A", "A", ItemType.Decimal, Range: new(25, 250), SoftRange: new(40, null))), "items[0].softRange", "inside the range");
    }

    [Fact]
    public void Define_PropertiesThatDoNotFitTheType_AreEachNamed()
    {
        var problems = Problems(
            new ItemSpec("A", "A", ItemType.Text, Precision: 2, Range: new(1, 2), Units: "kg"),
            new ItemSpec("B", "B", ItemType.Integer, MaxLength: 10, CodeList: [new("1", "One")], Expression: "1"),
            new ItemSpec("C", "C", ItemType.Calculated, Required: true),
            new ItemSpec("D", "D", ItemType.Integer, Range: new(1.5m, 3)),
            new ItemSpec("E", "E", ItemType.Decimal, Range: new(5, 1), Precision: 11),
            new ItemSpec("F", "F", ItemType.Integer, Range: new(null, null)));
        DefinitionProblems.AssertHas(problems, "items[0].precision", "belongs to decimal items");
        DefinitionProblems.AssertHas(problems, "items[0].range", "belong to integer and decimal items");
        DefinitionProblems.AssertHas(problems, "items[0].units", "belong to number and calculated items");
        DefinitionProblems.AssertHas(problems, "items[1].maxLength", "belongs to text items");
        DefinitionProblems.AssertHas(problems, "items[1].codeList", "belongs to choice and multiChoice items");
        DefinitionProblems.AssertHas(problems, "items[1].expression", "Only a calculated item");
        DefinitionProblems.AssertHas(problems, "items[2].expression", "needs its expression");
        DefinitionProblems.AssertHas(problems, "items[2].required", "cannot be required");
        DefinitionProblems.AssertHas(problems, "items[3].range", "whole bounds");
        DefinitionProblems.AssertHas(problems, "items[4].range", "min cannot be above its max");
        DefinitionProblems.AssertHas(problems, "items[4].precision", "from 0 to 10");
        DefinitionProblems.AssertHas(problems, "items[5].range", "needs a min, a max, or both");
    }

    [Fact]
    public void Define_CodesThatAreMalformedOrRepeated_AreRefused()
    {
        var problems = Problems(
            new ItemSpec("A", "A", ItemType.Integer),
            new ItemSpec("a", "Again", ItemType.Integer),
            new ItemSpec("9X", "Digit first", ItemType.Integer),
            new ItemSpec("or", "Keyword", ItemType.Integer),
            new ItemSpec("C", "", ItemType.Choice, CodeList: [new("X", "Ex"), new("X", "Ex again"), new(" Y", "Spaced")]));
        DefinitionProblems.AssertHas(problems, "items[1].code", "Another item of the form has the code a");
        DefinitionProblems.AssertHas(problems, "items[2].code", "starting with a letter");
        DefinitionProblems.AssertHas(problems, "items[3].code", "not and, or, not");
        DefinitionProblems.AssertHas(problems, "items[4].label", "needs a label");
        DefinitionProblems.AssertHas(problems, "items[4].codeList[1].code", "listed twice");
        DefinitionProblems.AssertHas(problems, "items[4].codeList[2].code", "without spaces");

        var (_, formProblems) = FormDefinition.Define(new FormSpec("vs", "", false, []), OtherForm);
        DefinitionProblems.AssertHas(formProblems, "code", "capital letters");
        DefinitionProblems.AssertHas(formProblems, "name", "needs a name");
        DefinitionProblems.AssertHas(formProblems, "items", "1 to 300 items");
    }

    [Fact]
    public void Define_AShowIfThatIsNoCondition_OrAMultipleChoiceCalculation_IsRefused()
    {
        var problems = Problems(
            new ItemSpec("A", "A", ItemType.Integer, ShowIf: "1 + 1"),
            new ItemSpec("B", "B", ItemType.MultiChoice, CodeList: [new("X", "Ex")]),
            new ItemSpec("C", "C", ItemType.Calculated, Expression: "B"),
            new ItemSpec("D", "D", ItemType.Calculated, Expression: "round(A,"));
        DefinitionProblems.AssertHas(problems, "items[0].showIf", "must give yes or no");
        DefinitionProblems.AssertHas(problems, "items[2].expression", "cannot be a multiple choice");
        DefinitionProblems.AssertHas(problems, "items[3].expression", "ends where a value was expected");
    }
}

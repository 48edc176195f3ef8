using Edc.Domain.Forms.Expressions;

namespace Edc.Domain.Tests.Forms;

/// <summary>
/// The expression language of showIf and calculated items: read into a tree, checked for the kinds of value it combines,
/// evaluated on the server with blanks propagating.
/// </summary>
public sealed class ExpressionLanguageTests
{
    private static readonly Dictionary<string, ValueKind> Kinds = new()
    {
        ["WEIGHT"] = ValueKind.Number,
        ["HEIGHT"] = ValueKind.Number,
        ["SEX"] = ValueKind.Text,
        ["VISDAT"] = ValueKind.Date,
        ["DONE"] = ValueKind.Boolean,
        ["SYMPT"] = ValueKind.Codes,
        ["DM.SEX"] = ValueKind.Text,
        ["DM.ONSET"] = ValueKind.Date,
        ["TAKEN"] = ValueKind.DateTime,
    };

    private static object? Eval(string text, Dictionary<string, object?>? values = null) =>
        ExpressionEvaluator.Evaluate(ExpressionParser.Parse(text), r => values?.GetValueOrDefault(r.ToString()));

    private static (ValueKind? Kind, IReadOnlyList<string> Problems) Check(string text) =>
        ExpressionTypes.Check(ExpressionParser.Parse(text), r => Kinds.TryGetValue(r.ToString(), out var k) ? k : null);

    private static string ParseError(string text) => Assert.Throws<ExpressionException>(() => ExpressionParser.Parse(text)).Message;

    [Theory]
    [InlineData("1 + 2 * 3", 7)]
    [InlineData("(1 + 2) * 3", 9)]
    [InlineData("10 - 4 - 3", 3)]
    [InlineData("12 / 4 / 3", 1)]
    [InlineData("-2 * -3", 6)]
    [InlineData("- (1 + 1)", -2)]
    [InlineData("2.5 * 2", 5)]
    public void Arithmetic_FollowsPrecedenceAndLeftAssociativity(string text, double expected) =>
        Assert.Equal((decimal)expected, Eval(text));

    [Theory]
    [InlineData("1 < 2 and 2 < 3", true)]
    [InlineData("1 > 2 or 2 < 3", true)]
    [InlineData("not 1 = 2", true)]
    [InlineData("not 1 = 1 or 1 = 1", true)]
    [InlineData("1 = 1 and not (2 = 2 or 3 = 4)", false)]
    [InlineData("'b' > 'a'", true)]
    [InlineData("1 != 1", false)]
    [InlineData("3 >= 3 AND 2 <= 1 OR NOT 1 = 2", true)]
    public void Logic_NotBindsTighterThanAndThanOr(string text, bool expected) => Assert.Equal(expected, Eval(text));

    [Fact]
    public void Parse_ReadsItemsOfOtherFormsAndTextsWithDoubledQuotes()
    {
        var parsed = ExpressionParser.Parse("DM.SEX = 'O''Brien'");
        var comparison = Assert.IsType<BinaryExpression>(parsed);
        Assert.Equal(new ItemReference("DM", "SEX"), comparison.Left);
        Assert.Equal(new TextLiteral("O'Brien"), comparison.Right);
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("WEIGHT *", "ends where a value was expected")]
    [InlineData("1 2", "Expected an operator or the end at character 3")]
    [InlineData("'open", "no closing quote")]
    [InlineData("max(1, 2)", "'max' (at character 1) is no function")]
    [InlineData("1 < 2 < 3", "cannot be chained")]
    [InlineData("WEIGHT # 2", "'#' at character 8 has no meaning")]
    [InlineData("(1 + 2", "ends where ')' was expected")]
    [InlineData("A..B = 1", "is not an item")]
    [InlineData("and = 1", "Expected a value at character 1")]
    public void Parse_WhenTextIsNoExpression_SaysWhatAndWhere(string text, string expected) =>
        Assert.Contains(expected, ParseError(text), StringComparison.Ordinal);

    [Fact]
    public void Parse_WhenNestedTooDeeply_RefusesInsteadOfExhaustingTheStack()
    {
        Assert.Contains("nested deeper", ParseError(new string('(', 200) + "1" + new string(')', 200)), StringComparison.Ordinal);
        Assert.Contains("nested deeper", ParseError(string.Concat(Enumerable.Repeat("not ", 100)) + "1 = 1"), StringComparison.Ordinal);
        Assert.Contains("longer than", ParseError(string.Join(" + ", Enumerable.Repeat("1", 1000))), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("round(WEIGHT * 10, 0)", ValueKind.Number)]
    [InlineData("SEX = 'F' and not DONE", ValueKind.Boolean)]
    [InlineData("datediff(DM.ONSET, VISDAT)", ValueKind.Number)]
    [InlineData("datediff(TAKEN, VISDAT) > 1", ValueKind.Boolean)]
    [InlineData("SYMPT = 'OTHER'", ValueKind.Boolean)]
    [InlineData("isblank(SYMPT) or isblank(WEIGHT)", ValueKind.Boolean)]
    [InlineData("sum(WEIGHT, HEIGHT, 1)", ValueKind.Number)]
    [InlineData("VISDAT >= DM.ONSET", ValueKind.Boolean)]
    public void Check_GivesTheKindAnExpressionYields(string text, ValueKind expected)
    {
        var (kind, problems) = Check(text);
        Assert.Empty(problems);
        Assert.Equal(expected, kind);
    }

    [Theory]
    [InlineData("SEX = 1", "'=' cannot compare a text with a number")]
    [InlineData("WEIGHT + SEX", "'+' takes a number, not a text")]
    [InlineData("WEIGHT and DONE", "'and' takes a yes/no value, not a number")]
    [InlineData("not WEIGHT", "'not' takes a yes/no value, not a number")]
    [InlineData("BMI > 25", "'BMI' is not an item")]
    [InlineData("VS.BMI > 25", "'VS.BMI' is not an item")]
    [InlineData("round(WEIGHT, HEIGHT)", "n written as a whole number from 0 to 10")]
    [InlineData("round(WEIGHT)", "round takes two values")]
    [InlineData("datediff(WEIGHT, VISDAT)", "datediff takes a date or a date and time, not a number")]
    [InlineData("sum()", "sum takes one value at least")]
    [InlineData("DONE < DONE", "cannot compare a yes/no value with a yes/no value")]
    [InlineData("SYMPT = SYMPT", "cannot compare a multiple choice with a multiple choice")]
    [InlineData("isblank(WEIGHT, SEX)", "isblank takes one value")]
    public void Check_WhenKindsDoNotFit_NamesTheProblem(string text, string expected)
    {
        var (kind, problems) = Check(text);
        Assert.Null(kind);
        Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
    }

    [Fact]
    public void Check_ReportsEveryProblemOnce()
    {
        var (_, problems) = Check("X + 1 > 2 and Y = 'a'");
        Assert.Equal(["'X' is not an item of this form or of the forms it may name.", "'Y' is not an item of this form or of the forms it may name."], problems);
    }

    [Fact]
    public void Evaluate_Blank_PropagatesThroughArithmeticAndComparisons()
    {
        Assert.Null(Eval("WEIGHT * 10"));
        Assert.Null(Eval("WEIGHT > 10"));
        Assert.Null(Eval("-WEIGHT"));
        Assert.Null(Eval("not (WEIGHT > 10)"));
        Assert.Null(Eval("SEX = 'F'", new() { ["SEX"] = "" }));
        Assert.False(ExpressionEvaluator.IsMet(ExpressionParser.Parse("SEX = 'F'"), _ => null));
    }

    [Theory]
    [InlineData("WEIGHT > 1 and 1 = 2", false)]
    [InlineData("1 = 2 and WEIGHT > 1", false)]
    [InlineData("WEIGHT > 1 or 1 = 1", true)]
    [InlineData("1 = 1 or WEIGHT > 1", true)]
    [InlineData("WEIGHT > 1 and 1 = 1", null)]
    [InlineData("WEIGHT > 1 or 1 = 2", null)]
    public void Evaluate_AndOr_DecideDespiteABlankWhenOneSideDoes(string text, bool? expected) => Assert.Equal(expected, Eval(text));

    [Theory]
    [InlineData("round(723.5, 0)", 724)]
    [InlineData("round(-723.5, 0)", -724)]
    [InlineData("round(2.345, 2)", 2.35)]
    [InlineData("round(72.35 * 10, 0)", 724)]
    [InlineData("10 / 4", 2.5)]
    public void Evaluate_RoundsHalvesAwayFromZero(string text, double expected) => Assert.Equal((decimal)expected, Eval(text));

    [Fact]
    public void Evaluate_DivisionByZeroAndOverflow_GiveABlank()
    {
        Assert.Null(Eval("1 / 0"));
        Assert.Null(Eval("1 / (2 - 2.0)"));
        Assert.Null(Eval("9999999999999999999999999999 * 10"));
        Assert.Contains("too many digits", ParseError("99999999999999999999999999999"), StringComparison.Ordinal);
        Assert.Null(Eval($"sum({string.Join(", ", Enumerable.Repeat("9999999999999999999999999999", 9))})"));
    }

    [Fact]
    public void Evaluate_Sum_AddsTheValuesPresent_BlankWhenNoneIs()
    {
        Assert.Equal(5m, Eval("sum(WEIGHT, HEIGHT, 2)", new() { ["WEIGHT"] = 3m }));
        Assert.Null(Eval("sum(WEIGHT, HEIGHT)"));
    }

    [Fact]
    public void Evaluate_Datediff_CountsDaysFromTheFirstToTheSecond()
    {
        var values = new Dictionary<string, object?>
        {
            ["DM.ONSET"] = new DateOnly(2024, 2, 28),
            ["VISDAT"] = new DateOnly(2024, 3, 1),
            ["TAKEN"] = new DateTimeOffset(2024, 3, 1, 23, 30, 0, TimeSpan.FromHours(-5)),
        };
        Assert.Equal(2m, Eval("datediff(DM.ONSET, VISDAT)", values));
        Assert.Equal(-2m, Eval("datediff(VISDAT, DM.ONSET)", values));
        Assert.Equal(1m, Eval("datediff(VISDAT, TAKEN)", values));
        Assert.Null(Eval("datediff(VISDAT, OTHER)", values));
    }

    [Fact]
    public void Evaluate_MultipleChoiceEqualsText_AsksWhetherTheCodeIsChosen()
    {
        var values = new Dictionary<string, object?> { ["SYMPT"] = new List<string> { "FEVER", "OTHER" } };
        Assert.Equal(true, Eval("SYMPT = 'OTHER'", values));
        Assert.Equal(false, Eval("SYMPT != 'OTHER'", values));
        Assert.Equal(false, Eval("'RASH' = SYMPT", values));
        Assert.Equal(true, Eval("isblank(SYMPT)", new() { ["SYMPT"] = new List<string>() }));
        Assert.Equal(false, Eval("isblank(SYMPT)", values));
    }
}

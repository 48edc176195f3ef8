namespace Edc.Domain.Forms.Expressions;

/// <summary>
/// Evaluates a checked expression on the server, whose result is the one that counts. Values: <see cref="decimal"/>,
/// <see cref="string"/>, <see cref="DateOnly"/>, <see cref="DateTimeOffset"/>, <see cref="bool"/>, a list of codes for a
/// multiple choice, and null for a blank. A blank makes arithmetic and comparisons blank (a calculated item stays empty,
/// a <c>showIf</c> is not met); <c>and</c>/<c>or</c> decide when one side does (false and blank is false); division by
/// zero and an overflow give a blank; <c>sum</c> adds the values present (blank when none is);
/// <c>round</c> rounds halves away from zero; <c>datediff(d1, d2)</c> is the days from d1 to d2 (dates and times by
/// their UTC date).
/// </summary>
public static class ExpressionEvaluator
{
    public static object? Evaluate(Expression expression, Func<ItemReference, object?> value) => expression switch
    {
        NumberLiteral number => number.Value,
        TextLiteral text => text.Value,
        ItemReference item => value(item),
        UnaryExpression { Operator: UnaryOperator.Negate } unary => Evaluate(unary.Operand, value) is decimal d ? -d : null,
        UnaryExpression unary => Evaluate(unary.Operand, value) is bool b ? !b : null,
        BinaryExpression { Operator: BinaryOperator.And } and => Logic(Evaluate(and.Left, value), Evaluate(and.Right, value), decisive: false),
        BinaryExpression { Operator: BinaryOperator.Or } or => Logic(Evaluate(or.Left, value), Evaluate(or.Right, value), decisive: true),
        BinaryExpression binary => Binary(binary.Operator, Evaluate(binary.Left, value), Evaluate(binary.Right, value)),
        FunctionCall call => Call(call, call.Arguments.Select(a => Evaluate(a, value)).ToList()),
        _ => throw new ArgumentOutOfRangeException(nameof(expression)),
    };

    /// <summary>Whether a <c>showIf</c> is met: only a true result shows its item.</summary>
    public static bool IsMet(Expression condition, Func<ItemReference, object?> value) => Evaluate(condition, value) is true;

    public static bool IsBlank(object? value) => value switch
    {
        null => true,
        string text => text.Length == 0,
        IReadOnlyCollection<string> codes => codes.Count == 0,
        _ => false,
    };

    // Kleene's logic: the decisive value (false for and, true for or) on either side decides, else a blank stays blank.
    private static bool? Logic(object? left, object? right, bool decisive) =>
        Equals(left, decisive) || Equals(right, decisive) ? decisive
        : left is bool && right is bool ? !decisive
        : null;

    private static object? Binary(BinaryOperator op, object? left, object? right)
    {
        if (IsBlank(left) || IsBlank(right))
        {
            return null;
        }

        try
        {
            return (op, left, right) switch
            {
                (BinaryOperator.Add, decimal a, decimal b) => a + b,
                (BinaryOperator.Subtract, decimal a, decimal b) => a - b,
                (BinaryOperator.Multiply, decimal a, decimal b) => a * b,
                (BinaryOperator.Divide, decimal, 0m) => null,
                (BinaryOperator.Divide, decimal a, decimal b) => a / b,
                (BinaryOperator.Equal, IReadOnlyCollection<string> codes, string code) => codes.Contains(code),
                (BinaryOperator.Equal, string code, IReadOnlyCollection<string> codes) => codes.Contains(code),
                (BinaryOperator.NotEqual, IReadOnlyCollection<string> codes, string code) => !codes.Contains(code),
                (BinaryOperator.NotEqual, string code, IReadOnlyCollection<string> codes) => !codes.Contains(code),
                (BinaryOperator.Equal, _, _) => Compare(left!, right!) == 0,
                (BinaryOperator.NotEqual, _, _) => Compare(left!, right!) != 0,
                (BinaryOperator.Less, _, _) => Compare(left!, right!) < 0,
                (BinaryOperator.LessOrEqual, _, _) => Compare(left!, right!) <= 0,
                (BinaryOperator.Greater, _, _) => Compare(left!, right!) > 0,
                (BinaryOperator.GreaterOrEqual, _, _) => Compare(left!, right!) >= 0,
                _ => throw new InvalidOperationException($"{op} was not checked: {left!.GetType().Name}, {right!.GetType().Name}."),
            };
        }
        catch (OverflowException)
        {
            return null;
        }
    }

    private static int Compare(object left, object right) => (left, right) switch
    {
        (decimal a, decimal b) => a.CompareTo(b),
        (string a, string b) => string.CompareOrdinal(a, b),
        (DateOnly a, DateOnly b) => a.CompareTo(b),
        (DateTimeOffset a, DateTimeOffset b) => a.CompareTo(b),
        (bool a, bool b) => a.CompareTo(b),
        _ => throw new InvalidOperationException($"{left.GetType().Name} and {right.GetType().Name} were not checked as comparable."),
    };

    private static object? Call(FunctionCall call, List<object?> arguments)
    {
        switch (call.Name)
        {
            case "isblank":
                return IsBlank(arguments[0]);
            case "sum":
                var present = arguments.OfType<decimal>().ToList();
                try
                {
                    return present.Count == 0 ? null : present.Sum();
                }
                catch (OverflowException)
                {
                    return null;
                }

            case "round":
                return arguments[0] is decimal x && arguments[1] is decimal places
                    ? Math.Round(x, (int)places, MidpointRounding.AwayFromZero)
                    : null;
            default:
                return (Day(arguments[0]), Day(arguments[1])) is ({ } from, { } to) ? (decimal)(to.DayNumber - from.DayNumber) : null;
        }
    }

    private static DateOnly? Day(object? value) => value switch
    {
        DateOnly date => date,
        DateTimeOffset instant => DateOnly.FromDateTime(instant.UtcDateTime),
        _ => null,
    };
}

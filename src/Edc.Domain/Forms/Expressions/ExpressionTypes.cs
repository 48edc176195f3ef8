namespace Edc.Domain.Forms.Expressions;

/// <summary>
/// Checks an expression when its form is defined: every item it names exists, and every operator and function gets the
/// kinds of value it takes. Answers the kind the expression yields, or the problems found (all of them, in order).
/// </summary>
public static class ExpressionTypes
{
    /// <param name="expression">The parsed expression.</param>
    /// <param name="itemKind">The kind of value an item holds; null when there is no such item.</param>
    public static (ValueKind? Kind, IReadOnlyList<string> Problems) Check(Expression expression, Func<ItemReference, ValueKind?> itemKind)
    {
        var problems = new List<string>();
        var kind = new Checker(itemKind, problems).KindOf(expression);
        return (problems.Count == 0 ? kind : null, problems);
    }

    private sealed class Checker(Func<ItemReference, ValueKind?> itemKind, List<string> problems)
    {
        // Null: already reported (an unknown item, a mismatch further down), so nothing above it reports it again.
        public ValueKind? KindOf(Expression expression) => expression switch
        {
            NumberLiteral => ValueKind.Number,
            TextLiteral => ValueKind.Text,
            ItemReference item => itemKind(item) ?? Problem($"'{item}' is not an item of this form or of the forms it may name."),
            UnaryExpression { Operator: UnaryOperator.Negate } unary => Require(unary.Operand, "'-'", ValueKind.Number),
            UnaryExpression unary => Require(unary.Operand, "'not'", ValueKind.Boolean),
            BinaryExpression binary => Binary(binary),
            FunctionCall call => Call(call),
            _ => throw new ArgumentOutOfRangeException(nameof(expression)),
        };

        private ValueKind? Binary(BinaryExpression binary)
        {
            var symbol = $"'{Symbol(binary.Operator)}'";
            switch (binary.Operator)
            {
                case BinaryOperator.And or BinaryOperator.Or:
                    return Both(Require(binary.Left, symbol, ValueKind.Boolean), Require(binary.Right, symbol, ValueKind.Boolean), ValueKind.Boolean);
                case BinaryOperator.Add or BinaryOperator.Subtract or BinaryOperator.Multiply or BinaryOperator.Divide:
                    return Both(Require(binary.Left, symbol, ValueKind.Number), Require(binary.Right, symbol, ValueKind.Number), ValueKind.Number);
            }

            var (left, right) = (KindOf(binary.Left), KindOf(binary.Right));
            if (left is null || right is null)
            {
                return null;
            }

            var equality = binary.Operator is BinaryOperator.Equal or BinaryOperator.NotEqual;
            // A multiple choice compared with a text asks whether that code is among those chosen.
            var comparable = left == right
                ? left is not ValueKind.Codes && (equality || left is not ValueKind.Boolean)
                : equality && (left, right) is (ValueKind.Codes, ValueKind.Text) or (ValueKind.Text, ValueKind.Codes);
            return comparable
                ? ValueKind.Boolean
                : Problem($"{symbol} cannot compare {Name(left.Value)} with {Name(right.Value)}.");
        }

        private ValueKind? Call(FunctionCall call)
        {
            var kinds = call.Arguments.Select(KindOf).ToList();
            switch (call.Name)
            {
                case "round":
                    if (call.Arguments.Count != 2)
                    {
                        return Problem("round takes two values: round(x, n), n the number of decimals.");
                    }

                    if (call.Arguments[1] is not NumberLiteral { Value: >= 0 and <= 10 } places || places.Value != decimal.Truncate(places.Value))
                    {
                        return Problem("round(x, n) needs n written as a whole number from 0 to 10.");
                    }

                    return Both(Expect(kinds[0], "round", ValueKind.Number), ValueKind.Number, ValueKind.Number);
                case "sum":
                    if (call.Arguments.Count == 0)
                    {
                        return Problem("sum takes one value at least.");
                    }

                    return kinds.Aggregate((ValueKind?)ValueKind.Number, (all, kind) => Both(all, Expect(kind, "sum", ValueKind.Number), ValueKind.Number));
                case "datediff":
                    if (call.Arguments.Count != 2)
                    {
                        return Problem("datediff takes two dates: datediff(d1, d2), the days from d1 to d2.");
                    }

                    return Both(Expect(kinds[0], "datediff", ValueKind.Date, ValueKind.DateTime), Expect(kinds[1], "datediff", ValueKind.Date, ValueKind.DateTime), ValueKind.Number);
                default:
                    return call.Arguments.Count == 1 ? (kinds[0] is null ? null : ValueKind.Boolean) : Problem("isblank takes one value.");
            }
        }

        private ValueKind? Require(Expression operand, string symbol, ValueKind wanted) => Expect(KindOf(operand), symbol, wanted);

        private ValueKind? Expect(ValueKind? actual, string what, params ValueKind[] wanted) => actual switch
        {
            null => null,
            { } kind when wanted.Contains(kind) => kind,
            { } kind => Problem($"{what} takes {string.Join(" or ", wanted.Select(Name))}, not {Name(kind)}."),
        };

        private static ValueKind? Both(ValueKind? left, ValueKind? right, ValueKind result) => left is null || right is null ? null : result;

        private ValueKind? Problem(string problem)
        {
            problems.Add(problem);
            return null;
        }
    }

    private static string Symbol(BinaryOperator op) => op switch
    {
        BinaryOperator.Add => "+",
        BinaryOperator.Subtract => "-",
        BinaryOperator.Multiply => "*",
        BinaryOperator.Divide => "/",
        BinaryOperator.Equal => "=",
        BinaryOperator.NotEqual => "!=",
        BinaryOperator.Less => "<",
        BinaryOperator.LessOrEqual => "<=",
        BinaryOperator.Greater => ">",
        BinaryOperator.GreaterOrEqual => ">=",
        BinaryOperator.And => "and",
        _ => "or",
    };

    private static string Name(ValueKind kind) => kind switch
    {
        ValueKind.Number => "a number",
        ValueKind.Text => "a text",
        ValueKind.Date => "a date",
        ValueKind.DateTime => "a date and time",
        ValueKind.Boolean => "a yes/no value",
        _ => "a multiple choice",
    };
}

using System.Globalization;

namespace Edc.Domain.Forms.Expressions;

/// <summary>
/// Reads the expression language of <c>showIf</c> and calculated items into an <see cref="Expression"/> tree, by recursive
/// descent. Precedence, loosest first: <c>or</c>, <c>and</c>, <c>not</c>, comparisons (one per operand pair, not chained),
/// <c>+ -</c>, <c>* /</c>, unary minus. Keywords and function names are read in any case. Text longer than
/// <see cref="MaxLength"/> or nested deeper than <see cref="MaxDepth"/> is refused, so no input can exhaust the stack.
/// </summary>
public static class ExpressionParser
{
    public const int MaxLength = 2000;
    public const int MaxDepth = 50;

    public static readonly IReadOnlySet<string> Functions = new HashSet<string>(StringComparer.Ordinal) { "round", "sum", "datediff", "isblank" };

    public static readonly IReadOnlySet<string> Keywords = new HashSet<string>(StringComparer.OrdinalIgnoreCase) { "and", "or", "not" };

    public static Expression Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ExpressionException("The expression is empty.");
        }

        if (text.Length > MaxLength)
        {
            throw new ExpressionException($"The expression is longer than {MaxLength} characters.");
        }

        var reader = new Reader(Tokenizer.Read(text));
        var expression = reader.Or(0);
        reader.ExpectEnd();
        return expression;
    }

    private sealed class Reader(IReadOnlyList<Token> tokens)
    {
        private int _next;

        private Token Current => tokens[_next];

        public void ExpectEnd()
        {
            if (Current.Kind != TokenKind.End)
            {
                throw Unexpected("an operator or the end");
            }
        }

        public Expression Or(int depth)
        {
            var left = And(Deeper(depth));
            while (TakeKeyword("or"))
            {
                left = new BinaryExpression(BinaryOperator.Or, left, And(Deeper(depth)));
            }

            return left;
        }

        private Expression And(int depth)
        {
            var left = Not(depth);
            while (TakeKeyword("and"))
            {
                left = new BinaryExpression(BinaryOperator.And, left, Not(depth));
            }

            return left;
        }

        private Expression Not(int depth) =>
            TakeKeyword("not") ? new UnaryExpression(UnaryOperator.Not, Not(Deeper(depth))) : Comparison(depth);

        private Expression Comparison(int depth)
        {
            var left = Additive(depth);
            if (Current.Kind == TokenKind.Symbol && ComparisonOperator(Current.Text) is { } comparison)
            {
                _next++;
                left = new BinaryExpression(comparison, left, Additive(depth));
                if (Current.Kind == TokenKind.Symbol && ComparisonOperator(Current.Text) is not null)
                {
                    throw new ExpressionException(
                        $"Comparisons cannot be chained (at character {Current.Position}): join them with 'and'.");
                }
            }

            return left;
        }

        private Expression Additive(int depth)
        {
            var left = Multiplicative(depth);
            while (TakeSymbol("+", "-") is { } symbol)
            {
                left = new BinaryExpression(symbol == "+" ? BinaryOperator.Add : BinaryOperator.Subtract, left, Multiplicative(depth));
            }

            return left;
        }

        private Expression Multiplicative(int depth)
        {
            var left = Unary(depth);
            while (TakeSymbol("*", "/") is { } symbol)
            {
                left = new BinaryExpression(symbol == "*" ? BinaryOperator.Multiply : BinaryOperator.Divide, left, Unary(depth));
            }

            return left;
        }

        private Expression Unary(int depth) =>
            TakeSymbol("-") is not null ? new UnaryExpression(UnaryOperator.Negate, Unary(Deeper(depth))) : Primary(depth);

        private Expression Primary(int depth)
        {
            var token = Current;
            switch (token.Kind)
            {
                case TokenKind.Number:
                    _next++;
                    return new NumberLiteral(decimal.Parse(token.Text, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture));
                case TokenKind.Text:
                    _next++;
                    return new TextLiteral(token.Text);
                case TokenKind.Name when Keywords.Contains(token.Text):
                    throw Unexpected("a value");
                case TokenKind.Name:
                    _next++;
                    return TakeSymbol("(") is not null ? Call(token, Deeper(depth)) : Reference(token);
                case TokenKind.Symbol when token.Text == "(":
                    _next++;
                    var inner = Or(Deeper(depth));
                    Expect(")");
                    return inner;
                default:
                    throw Unexpected("a value");
            }
        }

        private FunctionCall Call(Token name, int depth)
        {
            var function = name.Text.ToLowerInvariant();
            if (!Functions.Contains(function))
            {
                throw new ExpressionException(
                    $"'{name.Text}' (at character {name.Position}) is no function: the functions are {string.Join(", ", Functions)}.");
            }

            var arguments = new List<Expression>();
            if (TakeSymbol(")") is null)
            {
                do
                {
                    arguments.Add(Or(depth));
                }
                while (TakeSymbol(",") is not null);

                Expect(")");
            }

            return new FunctionCall(function, arguments);
        }

        private static ItemReference Reference(Token name)
        {
            var parts = name.Text.Split('.');
            return parts.Length switch
            {
                1 => new ItemReference(null, parts[0]),
                2 when parts[0].Length > 0 && parts[1].Length > 0 => new ItemReference(parts[0], parts[1]),
                _ => throw new ExpressionException($"'{name.Text}' (at character {name.Position}) is not an item: write ITEM or FORM.ITEM."),
            };
        }

        private static BinaryOperator? ComparisonOperator(string symbol) => symbol switch
        {
            "=" => BinaryOperator.Equal,
            "!=" => BinaryOperator.NotEqual,
            "<" => BinaryOperator.Less,
            "<=" => BinaryOperator.LessOrEqual,
            ">" => BinaryOperator.Greater,
            ">=" => BinaryOperator.GreaterOrEqual,
            _ => null,
        };

        private bool TakeKeyword(string keyword)
        {
            if (Current.Kind == TokenKind.Name && string.Equals(Current.Text, keyword, StringComparison.OrdinalIgnoreCase))
            {
                _next++;
                return true;
            }

            return false;
        }

        private string? TakeSymbol(params string[] symbols)
        {
            if (Current.Kind == TokenKind.Symbol && symbols.Contains(Current.Text))
            {
                return tokens[_next++].Text;
            }

            return null;
        }

        private void Expect(string symbol)
        {
            if (TakeSymbol(symbol) is null)
            {
                throw Unexpected($"'{symbol}'");
            }
        }

        private static int Deeper(int depth) =>
            depth < MaxDepth ? depth + 1 : throw new ExpressionException($"The expression is nested deeper than {MaxDepth} levels.");

        private ExpressionException Unexpected(string expected) => new(Current.Kind == TokenKind.End
            ? $"The expression ends where {expected} was expected."
            : $"Expected {expected} at character {Current.Position}, found '{Current.Text}'.");
    }
}

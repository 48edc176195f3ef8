using System.Text;

namespace Edc.Domain.Forms.Expressions;

/// <summary>Splits an expression into numbers, 'texts' (a quote inside doubled: <c>'O''Brien'</c>), names and symbols.</summary>
internal static class Tokenizer
{
    private static readonly string[] Symbols = ["!=", "<=", ">=", "=", "<", ">", "+", "-", "*", "/", "(", ")", ","];

    public static List<Token> Read(string text)
    {
        var tokens = new List<Token>();
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            var start = i;
            if (char.IsWhiteSpace(c))
            {
                i++;
            }
            else if (char.IsAsciiDigit(c))
            {
                while (i < text.Length && char.IsAsciiDigit(text[i]))
                {
                    i++;
                }

                if (i + 1 < text.Length && text[i] == '.' && char.IsAsciiDigit(text[i + 1]))
                {
                    i++;
                    while (i < text.Length && char.IsAsciiDigit(text[i]))
                    {
                        i++;
                    }
                }

                if (i - start > 28)
                {
                    throw new ExpressionException($"The number at character {start + 1} has too many digits.");
                }

                tokens.Add(new Token(TokenKind.Number, text[start..i], start + 1));
            }
            else if (c == '\'')
            {
                tokens.Add(new Token(TokenKind.Text, ReadText(text, ref i), start + 1));
            }
            else if (char.IsAsciiLetter(c) || c == '_')
            {
                while (i < text.Length && (char.IsAsciiLetterOrDigit(text[i]) || text[i] is '_' or '.'))
                {
                    i++;
                }

                tokens.Add(new Token(TokenKind.Name, text[start..i], start + 1));
            }
            else if (Symbols.FirstOrDefault(s => string.CompareOrdinal(text, i, s, 0, s.Length) == 0) is { } symbol)
            {
                i += symbol.Length;
                tokens.Add(new Token(TokenKind.Symbol, symbol, start + 1));
            }
            else
            {
                throw new ExpressionException($"'{c}' at character {start + 1} has no meaning in an expression.");
            }
        }

        tokens.Add(new Token(TokenKind.End, string.Empty, text.Length + 1));
        return tokens;
    }

    private static string ReadText(string text, ref int i)
    {
        var start = i;
        var value = new StringBuilder();
        i++;
        while (true)
        {
            if (i >= text.Length)
            {
                throw new ExpressionException($"The text starting at character {start + 1} has no closing quote.");
            }

            if (text[i] == '\'')
            {
                if (i + 1 < text.Length && text[i + 1] == '\'')
                {
                    value.Append('\'');
                    i += 2;
                    continue;
                }

                i++;
                return value.ToString();
            }

            value.Append(text[i++]);
        }
    }
}

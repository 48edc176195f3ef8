namespace Edc.Domain.Forms.Expressions;

internal enum TokenKind
{
    Number,
    Text,
    Name,
    Symbol,
    End,
}

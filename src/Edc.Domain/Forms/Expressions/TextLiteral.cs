namespace Edc.Domain.Forms.Expressions;

public sealed record TextLiteral(string Value) : Expression;

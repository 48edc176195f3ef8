namespace Edc.Domain.Forms.Expressions;

public sealed record NumberLiteral(decimal Value) : Expression;

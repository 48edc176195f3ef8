namespace Edc.Domain.Forms.Expressions;

public sealed record BinaryExpression(BinaryOperator Operator, Expression Left, Expression Right) : Expression;

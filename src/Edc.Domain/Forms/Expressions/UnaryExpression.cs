namespace Edc.Domain.Forms.Expressions;

public sealed record UnaryExpression(UnaryOperator Operator, Expression Operand) : Expression;

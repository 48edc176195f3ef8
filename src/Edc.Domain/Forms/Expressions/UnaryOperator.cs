namespace Edc.Domain.Forms.Expressions;

public enum UnaryOperator
{
    Negate,
    Not,
}

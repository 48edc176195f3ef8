namespace Edc.Domain.Forms.Expressions;

/// <summary>One of the language's functions: <c>round</c>, <c>sum</c>, <c>datediff</c>, <c>isblank</c> (lower case).</summary>
public sealed record FunctionCall(string Name, IReadOnlyList<Expression> Arguments) : Expression;

namespace Edc.Domain.Forms.Expressions;

/// <summary>An expression that cannot be read: the message says what was expected, and where (1-based character).</summary>
public sealed class ExpressionException(string message) : Exception(message);

namespace Edc.Domain.Forms.Expressions;

/// <summary>A word of an expression; <see cref="Position"/> is 1-based, for messages.</summary>
internal sealed record Token(TokenKind Kind, string Text, int Position);

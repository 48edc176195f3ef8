namespace Edc.Domain.Forms.Expressions;

/// <summary>What an item holds, or an expression yields. <see cref="Codes"/> is a multiple choice's set of codes.</summary>
public enum ValueKind
{
    Number,
    Text,
    Date,
    DateTime,
    Boolean,
    Codes,
}

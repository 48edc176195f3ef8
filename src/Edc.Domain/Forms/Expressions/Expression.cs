namespace Edc.Domain.Forms.Expressions;

/// <summary>
/// A parsed <c>showIf</c> or calculated item's <c>expression</c>: a tree, built once by <see cref="ExpressionParser"/>,
/// checked by <see cref="ExpressionTypes"/> when the form is defined and evaluated by <see cref="ExpressionEvaluator"/>.
/// Nothing is ever compiled or run as code.
/// </summary>
public abstract record Expression;

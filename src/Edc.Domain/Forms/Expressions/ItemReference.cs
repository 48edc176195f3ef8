namespace Edc.Domain.Forms.Expressions;

/// <summary>An item of the same form (<c>WEIGHT</c>) or of another form (<c>DM.SEX</c>).</summary>
public sealed record ItemReference(string? FormCode, string ItemCode) : Expression
{
    public override string ToString() => FormCode is null ? ItemCode : $"{FormCode}.{ItemCode}";
}

namespace Edc.Domain.Forms;

/// <summary>Bounds of a number item, both included; either may be absent.</summary>
public sealed record NumberRange(decimal? Min, decimal? Max)
{
    public bool Contains(decimal value) => (Min is not { } min || value >= min) && (Max is not { } max || value <= max);

    public override string ToString() => (Min, Max) switch
    {
        ({ } min, { } max) => $"{min} to {max}",
        ({ } min, null) => $"{min} or more",
        (null, { } max) => $"{max} or less",
        _ => "any value",
    };
}

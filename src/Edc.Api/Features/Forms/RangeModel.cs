using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

public sealed record RangeModel(decimal? Min, decimal? Max)
{
    public static RangeModel? From(NumberRange? range) => range is null ? null : new(range.Min, range.Max);

    public NumberRange ToRange() => new(Min, Max);
}

namespace Edc.Api.Features.SafetySummaries;

/// <summary>A row of figures for one column (Pooled or a masked group).</summary>
public interface IColumnRow
{
    string Column { get; }
}

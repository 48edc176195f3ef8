namespace Edc.Api.Common;

/// <summary>The contract's paging: page from 1, pageSize capped at 200.</summary>
public sealed record PageRequest(int Page, int PageSize)
{
    public const int MaxPageSize = 200;
    public const int DefaultPageSize = 50;

    public static PageRequest From(int? page, int? pageSize) =>
        new(Math.Max(page ?? 1, 1), Math.Clamp(pageSize ?? DefaultPageSize, 1, MaxPageSize));

    /// <summary>Rows before the page; a page far beyond the end skips everything rather than overflowing.</summary>
    public int Skip => (int)Math.Min((long)(Page - 1) * PageSize, int.MaxValue);
}

using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Query.SqlExpressions;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Infrastructure.Persistence;

/// <summary>Window functions that LINQ has no words for, usable in a query's projection.</summary>
public static class WindowFunctions
{
    /// <summary>
    /// The number of rows the query has before its paging (<c>count(*) OVER ()</c>), on every row of the page: a page and
    /// its total in one statement and one pass over the rows.
    /// </summary>
    public static int TotalRows() => throw new InvalidOperationException("TotalRows is translated to SQL; it runs only in a query.");

    internal static void Map(ModelBuilder builder) =>
        builder.HasDbFunction(typeof(WindowFunctions).GetMethod(nameof(TotalRows))!)
            .HasTranslation(_ => new SqlFragmentExpression("(count(*) OVER ())::int", typeof(int), new IntTypeMapping("integer")));
}

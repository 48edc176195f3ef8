using Npgsql;

namespace Edc.Infrastructure.Persistence;

/// <summary>What a database error means for the request that met it, wherever in an exception's chain it is.</summary>
public static class DatabaseFailures
{
    /// <summary>
    /// The database could not be reached or dropped the connection: refused or lost connections, a server shutting
    /// down, crashed or starting up (57P01-57P03), connection errors (08xxx), other transient errors (too many
    /// connections), anywhere in the exception's chain (EF Core wraps them in DbUpdateException and "transient failure"
    /// InvalidOperationException, a disposed transaction in ObjectDisposedException).
    /// </summary>
    public static bool IsUnavailable(Exception exception) =>
        Chain(exception).Any(e => e switch
        {
            PostgresException p => p.IsTransient
                || p.SqlState is PostgresErrorCodes.AdminShutdown or PostgresErrorCodes.CrashShutdown or PostgresErrorCodes.CannotConnectNow
                || p.SqlState.StartsWith("08", StringComparison.Ordinal),
            NpgsqlException n => n.IsTransient,
            TimeoutException => true,
            _ => false,
        });

    /// <summary>The exception and all its inner exceptions (every one of an AggregateException's), outermost first.</summary>
    public static IEnumerable<Exception> Chain(Exception exception)
    {
        var pending = new Stack<Exception>([exception]);
        var seen = 0;
        while (pending.TryPop(out var current) && seen++ < 64)
        {
            yield return current;
            if (current is AggregateException aggregate)
            {
                foreach (var inner in aggregate.InnerExceptions.Reverse())
                {
                    pending.Push(inner);
                }
            }
            else if (current.InnerException is { } inner)
            {
                pending.Push(inner);
            }
        }
    }
}

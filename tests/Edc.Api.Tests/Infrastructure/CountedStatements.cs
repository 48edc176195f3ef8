using System.Diagnostics;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// The statements the database received while a call ran: Npgsql's spans (one per command or batch) under an activity of
/// the call's own, so that what other tests send at the same time is not counted.
/// </summary>
public static class CountedStatements
{
    public static async Task<(T Result, int Statements)> CountAsync<T>(Func<Task<T>> action)
    {
        using var root = new Activity("counted").Start();
        var statements = 0;
        using var listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name == "Npgsql",
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = activity =>
            {
                if (activity.TraceId == root.TraceId)
                {
                    Interlocked.Increment(ref statements);
                }
            },
        };
        ActivitySource.AddActivityListener(listener);
        var result = await action();
        return (result, statements);
    }
}

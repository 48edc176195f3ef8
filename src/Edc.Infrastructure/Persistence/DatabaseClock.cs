namespace Edc.Infrastructure.Persistence;

/// <summary>
/// The system clock at PostgreSQL's precision (microseconds), so a timestamp the API answers with is exactly the one
/// it stored and will answer with later.
/// </summary>
public sealed class DatabaseClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow()
    {
        var now = System.GetUtcNow();
        return now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMicrosecond));
    }
}

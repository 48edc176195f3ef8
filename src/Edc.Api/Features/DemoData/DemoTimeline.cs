namespace Edc.Api.Features.DemoData;

/// <summary>The demo's clock: today and timestamps on past days, with one seeded random source.</summary>
internal sealed record DemoTimeline(DateTimeOffset Now, Random Random)
{
    public DateOnly Today => DateOnly.FromDateTime(Now.UtcDateTime);

    public DateTimeOffset At(DateOnly date, int hour) => new(date.ToDateTime(new TimeOnly(hour, 0)), TimeSpan.Zero);
}

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// Waits for what another connection or instance makes true a moment later (a database announcement, a blocked
/// statement), instead of racing it. The deadline is generous: it only bounds a test that would otherwise hang.
/// </summary>
public static class Eventually
{
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);

    public static async Task HoldsAsync(Func<Task<bool>> condition, string? what = null)
    {
        var deadline = DateTime.UtcNow + Deadline;
        while (!await condition())
        {
            Assert.True(DateTime.UtcNow < deadline, $"{what ?? "Condition"} did not hold after {Deadline.TotalSeconds} s.");
            await Task.Delay(25);
        }
    }
}

using Edc.Domain.Scheduling;

namespace Edc.Domain.Tests;

public sealed class JobPeriodsTests
{
    [Theory]
    [InlineData("2026-11-21T00:00:00Z", "2026-11-21")]
    [InlineData("2026-11-21T23:59:59Z", "2026-11-21")]
    [InlineData("2026-11-21T23:30:00-02:00", "2026-11-22")]
    public void Day_IsTheUtcDate(string at, string expected) =>
        Assert.Equal(expected, JobPeriods.Day(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-21T10:00:00Z", "2026-W47")]
    [InlineData("2027-01-01T10:00:00Z", "2026-W53")]
    [InlineData("2024-12-30T10:00:00Z", "2025-W01")]
    public void IsoWeek_TakesTheYearOfTheWeek(string at, string expected) =>
        Assert.Equal(expected, JobPeriods.IsoWeek(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));

    [Theory]
    [InlineData("2026-11-21T10:15:00Z", "2026-11-21T10:15Z")]
    [InlineData("2026-11-21T10:29:59Z", "2026-11-21T10:15Z")]
    [InlineData("2026-11-21T10:30:00Z", "2026-11-21T10:30Z")]
    [InlineData("2026-11-21T12:05:00+02:00", "2026-11-21T10:00Z")]
    public void QuarterHour_IsTheUtcSlotItStartsIn(string at, string expected) =>
        Assert.Equal(expected, JobPeriods.QuarterHour(DateTimeOffset.Parse(at, System.Globalization.CultureInfo.InvariantCulture)));
}

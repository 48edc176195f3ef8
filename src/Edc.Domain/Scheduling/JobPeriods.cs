using System.Globalization;

namespace Edc.Domain.Scheduling;

/// <summary>
/// The period a scheduled job's occurrence covers, as the text its run is keyed by. Taken from the occurrence's
/// scheduled time (UTC), not from the moment it runs, so every instance and every re-fire of one occurrence names the
/// same period.
/// </summary>
public static class JobPeriods
{
    /// <summary>The UTC day, e.g. <c>2026-11-21</c>.</summary>
    public static string Day(DateTimeOffset scheduledAt) =>
        scheduledAt.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    /// <summary>The ISO 8601 week, e.g. <c>2026-W47</c> (its year is the week's, which differs from the date's around New Year).</summary>
    public static string IsoWeek(DateTimeOffset scheduledAt)
    {
        var date = scheduledAt.UtcDateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
    }

    /// <summary>The UTC quarter of an hour it falls in, by its start, e.g. <c>2026-11-21T10:15Z</c>.</summary>
    public static string QuarterHour(DateTimeOffset scheduledAt)
    {
        var time = scheduledAt.UtcDateTime;
        var start = new DateTime(time.Year, time.Month, time.Day, time.Hour, time.Minute / 15 * 15, 0, DateTimeKind.Utc);
        return start.ToString("yyyy-MM-dd'T'HH:mm'Z'", CultureInfo.InvariantCulture);
    }
}

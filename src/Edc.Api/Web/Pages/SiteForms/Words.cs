using System.Globalization;
using System.Text.RegularExpressions;

namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>Values as people read them: an enum's name in words, a deadline's time left.</summary>
public static partial class Words
{
    /// <summary>"DoseNotChanged" as "Dose not changed".</summary>
    public static string Of(Enum value)
    {
        var words = PascalWords().Replace(value.ToString(), " $1").ToLowerInvariant();
        return char.ToUpperInvariant(words[0]) + words[1..];
    }

    public static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);

    /// <summary>How long is left until <paramref name="due"/>, or how long ago it passed.</summary>
    public static string Left(DateTimeOffset due, DateTimeOffset now)
    {
        var span = due - now;
        var text = Span(span.Duration());
        return span >= TimeSpan.Zero ? $"{text} left" : $"overdue by {text}";
    }

    private static string Span(TimeSpan span) => span.TotalHours >= 48
        ? $"{(int)span.TotalDays} days {span.Hours} hours"
        : $"{(int)span.TotalHours} hours {span.Minutes} minutes";

    [GeneratedRegex("(?<!^)([A-Z])")]
    private static partial Regex PascalWords();
}

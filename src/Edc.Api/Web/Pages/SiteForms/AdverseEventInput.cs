using System.Globalization;
using Edc.Api.Features.AdverseEvents;
using Edc.Domain.Safety;

namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>
/// The adverse-event form as posted, for a new event and for a revision; the seriousness criteria (several checkboxes of
/// one name, <see cref="CriteriaField"/>) are read from the form itself.
/// </summary>
public sealed class AdverseEventInput
{
    /// <summary>The posted name of the seriousness criteria's checkboxes.</summary>
    public const string CriteriaField = "criteria";

    private const string AwarenessFormat = "yyyy-MM-dd'T'HH:mm";

    public string? Term { get; set; }

    public DateOnly? OnsetDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public bool Ongoing { get; set; }

    public int? Grade { get; set; }

    public bool Serious { get; set; }

    public string? Relatedness { get; set; }

    /// <summary>"yes", "no" or blank (not assessed).</summary>
    public string? Expected { get; set; }

    public string? ActionTaken { get; set; }

    public string? Outcome { get; set; }

    /// <summary>A datetime-local value read as UTC; blank means now.</summary>
    public string? AwarenessDate { get; set; }

    public string? Reason { get; set; }

    /// <summary>The version a revision was made from, sent back as If-Match.</summary>
    public int? Version { get; set; }

    /// <summary>A revision's form, filled with the event's current version.</summary>
    public static AdverseEventInput From(AdverseEventView current) => new()
    {
        Term = current.Term,
        OnsetDate = current.OnsetDate,
        EndDate = current.EndDate,
        Ongoing = current.Ongoing == true,
        Grade = current.Grade,
        Serious = current.Serious == true,
        Relatedness = current.Relatedness?.ToString(),
        Expected = current.Expected switch { true => "yes", false => "no", null => null },
        ActionTaken = current.ActionTaken?.ToString(),
        Outcome = current.Outcome?.ToString(),
        AwarenessDate = Shown(current.AwarenessDate),
        Version = current.Version,
    };

    /// <summary>The seriousness criteria checked in a posted form.</summary>
    public static List<SeriousnessCriterion> PostedCriteria(IFormCollection form) =>
        [.. form[CriteriaField].Select(c => Enum.TryParse<SeriousnessCriterion>(c, out var v) ? v : (SeriousnessCriterion?)null).OfType<SeriousnessCriterion>()];

    /// <summary>The awareness entered (null when blank); false, with the field's error, when it is not a date and time.</summary>
    public bool TryReadAwareness(PageErrors errors, out DateTimeOffset? awareness)
    {
        awareness = null;
        if (string.IsNullOrWhiteSpace(AwarenessDate))
        {
            return true;
        }

        if (!DateTime.TryParseExact(AwarenessDate, [AwarenessFormat, "yyyy-MM-dd'T'HH:mm:ss"], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var at))
        {
            errors.Clear();
            errors.Add("awarenessDate", "Give the date and time the site learned of the event.");
            return false;
        }

        awareness = new DateTimeOffset(at, TimeSpan.Zero);
        return true;
    }

    /// <summary>Whether <paramref name="awareness"/> is <paramref name="recorded"/> as the form shows it (to the minute).</summary>
    public static bool ShownAs(DateTimeOffset? awareness, DateTimeOffset? recorded) =>
        awareness is not null && Shown(awareness) == Shown(recorded);

    /// <summary>The form as the handlers take it, with the criteria checked and the awareness read.</summary>
    public AdverseEventBody ToBody(IReadOnlyList<SeriousnessCriterion> criteria, DateTimeOffset? awareness) => new()
    {
        Term = Term,
        OnsetDate = OnsetDate,
        EndDate = EndDate,
        Ongoing = Ongoing,
        Grade = Grade,
        Serious = Serious,
        SeriousnessCriteria = criteria,
        Relatedness = Parse<Relatedness>(Relatedness),
        Expected = Expected switch { "yes" => true, "no" => false, _ => null },
        ActionTaken = Parse<ActionTaken>(ActionTaken),
        Outcome = Parse<AdverseEventOutcome>(Outcome),
        AwarenessDate = awareness,
        Reason = Reason,
    };

    private static string? Shown(DateTimeOffset? awareness) => awareness?.UtcDateTime.ToString(AwarenessFormat, CultureInfo.InvariantCulture);

    private static T? Parse<T>(string? value)
        where T : struct, Enum => Enum.TryParse<T>(value, out var parsed) && Enum.IsDefined(parsed) ? parsed : null;
}

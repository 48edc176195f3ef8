namespace Edc.Domain.Safety;

/// <summary>
/// One complete version of an adverse event form (CDASH). <see cref="AwareAt"/> is when the site learned of the event,
/// which starts the reporting clocks.
/// </summary>
public sealed record AdverseEventReport(
    string Term,
    DateOnly OnsetDate,
    DateOnly? EndDate,
    bool Ongoing,
    int Grade,
    bool Serious,
    IReadOnlyList<SeriousnessCriterion> SeriousnessCriteria,
    Relatedness Relatedness,
    bool? Expected,
    ActionTaken ActionTaken,
    AdverseEventOutcome Outcome,
    DateTimeOffset AwareAt)
{
    public const int DeathGrade = 5;

    public bool IsRelated => Relatedness is Relatedness.Possible or Relatedness.Probable or Relatedness.Definite;

    /// <summary>
    /// A suspected unexpected serious adverse reaction. Expectedness not yet assessed counts as unexpected, so the
    /// regulators' clock is never missed while the assessment is pending.
    /// </summary>
    public bool IsSusar => Serious && IsRelated && Expected != true;

    public bool IsFatal => Grade == DeathGrade;

    public bool IsFatalOrLifeThreatening =>
        IsFatal || SeriousnessCriteria.Contains(SeriousnessCriterion.Death) || SeriousnessCriteria.Contains(SeriousnessCriterion.LifeThreatening);

    /// <summary>
    /// The form's consistency rules, as (field, message) pairs in the client's field names; empty when consistent.
    /// The consent date and the present bound the dates.
    /// </summary>
    public IReadOnlyList<(string Field, string Message)> Inconsistencies(DateOnly? consentDate, DateTimeOffset now)
    {
        var errors = new List<(string, string)>();
        // A site east of UTC may already be a day ahead: dates are compared with a day's grace.
        var latestDate = DateOnly.FromDateTime(now.UtcDateTime).AddDays(1);
        if (IsFatal)
        {
            if (!Serious)
            {
                errors.Add(("serious", "A grade 5 (fatal) event is serious."));
            }

            if (!SeriousnessCriteria.Contains(SeriousnessCriterion.Death))
            {
                errors.Add(("seriousnessCriteria", "A grade 5 (fatal) event needs the Death criterion."));
            }

            if (Outcome != AdverseEventOutcome.Fatal)
            {
                errors.Add(("outcome", "A grade 5 (fatal) event has the outcome Fatal."));
            }
        }
        else
        {
            if (SeriousnessCriteria.Contains(SeriousnessCriterion.Death))
            {
                errors.Add(("grade", "An event with the Death criterion is grade 5."));
            }

            if (Outcome == AdverseEventOutcome.Fatal)
            {
                errors.Add(("grade", "An event with the outcome Fatal is grade 5."));
            }
        }

        if (Serious && SeriousnessCriteria.Count == 0)
        {
            errors.Add(("seriousnessCriteria", "A serious event needs at least one seriousness criterion."));
        }

        if (!Serious && SeriousnessCriteria.Count > 0)
        {
            errors.Add(("serious", "An event with a seriousness criterion is serious."));
        }

        if (Ongoing == EndDate.HasValue)
        {
            errors.Add(("ongoing", Ongoing ? "An ongoing event has no end date." : "An event that is not ongoing needs its end date."));
        }

        if (EndDate < OnsetDate)
        {
            errors.Add(("endDate", "The end date cannot be before the onset date."));
        }

        if (consentDate is { } consent && OnsetDate < consent)
        {
            errors.Add(("onsetDate", $"The onset cannot be before the participant's consent ({consent:yyyy-MM-dd})."));
        }

        if (OnsetDate > latestDate)
        {
            errors.Add(("onsetDate", "The onset cannot be in the future."));
        }

        if (EndDate > latestDate)
        {
            errors.Add(("endDate", "The end date cannot be in the future."));
        }

        if (DateOnly.FromDateTime(AwareAt.UtcDateTime) < OnsetDate)
        {
            errors.Add(("awarenessDate", "The site cannot have become aware of the event before its onset."));
        }

        if (AwareAt > now)
        {
            errors.Add(("awarenessDate", "The awareness date cannot be in the future."));
        }

        return errors;
    }
}

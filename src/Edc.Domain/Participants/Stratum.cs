using Edc.Domain.Common;
using Edc.Domain.Trials;

namespace Edc.Domain.Participants;

/// <summary>A combination of stratification levels, written "factor=level|factor=level" in the trial's factor order.</summary>
public static class Stratum
{
    public const string None = "";

    /// <summary>A factor with this code is the site: its levels are site codes, and its level is the participant's site.</summary>
    public const string SiteFactor = "SITE";

    /// <summary>The given levels, with the SITE factor's level (if the trial has one) taken from the participant's site.</summary>
    public static Dictionary<string, string> WithSiteLevel(Trial trial, IReadOnlyDictionary<string, string> strata, string siteCode)
    {
        var levels = new Dictionary<string, string>(strata);
        var site = trial.StratificationFactors.FirstOrDefault(f => string.Equals(f.Code, SiteFactor, StringComparison.OrdinalIgnoreCase));
        if (site is null)
        {
            return levels;
        }

        if (levels.TryGetValue(site.Code, out var given) && given != siteCode)
        {
            throw new RuleViolationException(RuleCodes.SiteStratumMismatch, $"The participant is at site {siteCode}; its {site.Code} level cannot be {given}.");
        }

        levels[site.Code] = siteCode;
        return levels;
    }

    public static string KeyFor(Trial trial, IReadOnlyDictionary<string, string> strata)
    {
        foreach (var factor in trial.StratificationFactors)
        {
            if (!strata.TryGetValue(factor.Code, out var level) || !factor.Levels.Contains(level, StringComparer.Ordinal))
            {
                throw new RuleViolationException(
                    RuleCodes.StratumInvalid, $"Stratification factor '{factor.Code}' needs one of: {string.Join(", ", factor.Levels)}.");
            }
        }

        return string.Join('|', trial.StratificationFactors.OrderBy(f => f.Ordinal).Select(f => $"{f.Code}={strata[f.Code]}"));
    }

    /// <summary>Every stratum of the trial: the cartesian product of its factors' levels (one stratum when there are none).</summary>
    public static IReadOnlyList<string> AllOf(Trial trial) =>
        trial.StratificationFactors.OrderBy(f => f.Ordinal).Aggregate(
            (IEnumerable<string>)[None],
            (keys, factor) => keys.SelectMany(key => factor.Levels.Select(level =>
                (key.Length == 0 ? string.Empty : key + "|") + $"{factor.Code}={level}")))
        .ToList();
}

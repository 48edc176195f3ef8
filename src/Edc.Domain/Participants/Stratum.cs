using Edc.Domain.Common;
using Edc.Domain.Trials;

namespace Edc.Domain.Participants;

/// <summary>A combination of stratification levels, written "factor=level|factor=level" in the trial's factor order.</summary>
public static class Stratum
{
    public const string None = "";

    public static string KeyFor(Trial trial, IReadOnlyDictionary<string, string> strata)
    {
        foreach (var factor in trial.StratificationFactors)
        {
            if (!strata.TryGetValue(factor.Code, out var level) || !factor.Levels.Contains(level, StringComparer.Ordinal))
            {
                throw new RuleViolationException(
                    "StratumInvalid", $"Stratification factor '{factor.Code}' needs one of: {string.Join(", ", factor.Levels)}.");
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

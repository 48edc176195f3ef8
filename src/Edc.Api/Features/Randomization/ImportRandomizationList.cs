using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Randomization;
using Edc.Domain.Security;
using FluentValidation;
using FluentValidation.Results;
using MediatR;

namespace Edc.Api.Features.Randomization;

public static class ImportRandomizationList
{
    public const string Algorithm = "imported-csv/v1";
    public const string Header = "stratum,sequence,randomizationNumber,kitNumber,armCode";

    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Command(Guid TrialId, string Csv) : IRequest<ListCreated>, ITrialChange
    {
        public string? Reason => null;
    }

    /// <summary>
    /// A list made elsewhere, as CSV with the header <see cref="Header"/> (stratum empty when the trial has no factors).
    /// Checked against the trial (arms, strata, sequences 1..n per stratum, unique numbers and kits) and stored with its checksum.
    /// </summary>
    internal sealed class Handler(RandomizationListStore store) : IRequestHandler<Command, ListCreated>
    {
        public async Task<ListCreated> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await store.TrialForNewListAsync(command.TrialId, cancellationToken);
            var slots = Parse(command.Csv, trial.Arms.Select(a => a.Code).ToHashSet(), RandomizationListStore.StrataOf(trial).ToHashSet());
            var groupLabels = trial.Arms.OrderBy(a => a.Ordinal).Select(a => a.Code).ToList();
            System.Security.Cryptography.RandomNumberGenerator.Shuffle(System.Runtime.InteropServices.CollectionsMarshal.AsSpan(groupLabels));
            var groupKey = groupLabels.Select((code, i) => ("Group " + (char)('A' + i), code)).ToDictionary(x => x.Item1, x => x.code);
            var perStratum = slots.GroupBy(s => s.StratumKey).Max(g => g.Count());
            return store.AddNew(trial, Algorithm, null, [], perStratum, slots, groupKey);
        }

        private static List<SlotSpec> Parse(string csv, HashSet<string> arms, HashSet<string> strata)
        {
            var lines = csv.Replace("\r", string.Empty, StringComparison.Ordinal).Split('\n', StringSplitOptions.RemoveEmptyEntries);
            var errors = new List<ValidationFailure>();
            if (lines.Length < 2 || lines[0].Trim() != Header)
            {
                throw new ValidationException([new ValidationFailure("csv", $"The first line must be '{Header}', followed by one line per slot.")]);
            }

            var slots = new List<SlotSpec>();
            for (var i = 1; i < lines.Length; i++)
            {
                var fields = lines[i].Split(',');
                if (fields.Length != 5 || !int.TryParse(fields[1], out var sequence) || sequence < 1
                    || fields[2].Length is 0 or > 40 || fields[3].Length is 0 or > 40)
                {
                    errors.Add(new ValidationFailure($"csv.line{i + 1}", "Expected stratum, a sequence from 1, a randomization number, a kit number and an arm code."));
                    continue;
                }

                if (!arms.Contains(fields[4]))
                {
                    errors.Add(new ValidationFailure($"csv.line{i + 1}", $"'{fields[4]}' is not an arm of the trial."));
                }

                if (!strata.Contains(fields[0]))
                {
                    errors.Add(new ValidationFailure($"csv.line{i + 1}", $"'{fields[0]}' is not a stratum of the trial."));
                }

                slots.Add(new SlotSpec(fields[0], sequence, 0, 0, fields[2], fields[3], fields[4]));
            }

            foreach (var stratum in slots.GroupBy(s => s.StratumKey))
            {
                if (!stratum.Select(s => s.Sequence).Order().SequenceEqual(Enumerable.Range(1, stratum.Count())))
                {
                    errors.Add(new ValidationFailure("csv", $"Stratum '{stratum.Key}' must number its slots 1 to {stratum.Count()} once each."));
                }
            }

            foreach (var missing in strata.Where(stratum => slots.All(s => s.StratumKey != stratum)))
            {
                // An imported list cannot be extended from a seed: a stratum without slots could never randomize.
                errors.Add(new ValidationFailure("csv", $"Stratum '{missing}' has no slots."));
            }

            if (slots.Select(s => s.RandomizationNumber).Distinct().Count() != slots.Count || slots.Select(s => s.KitNumber).Distinct().Count() != slots.Count)
            {
                errors.Add(new ValidationFailure("csv", "Randomization numbers and kit numbers must each be unique."));
            }

            return errors.Count > 0 ? throw new ValidationException(errors) : slots;
        }
    }
}

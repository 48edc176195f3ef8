using System.Globalization;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Randomization;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Randomization;

public static class ExtendRandomizationList
{
    public sealed record Body(string? Stratum, int? Slots);

    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Command(Guid TrialId, string? Stratum, int? Slots) : IRequest<Extended>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed record Extended(string Stratum, int SlotsAdded, string Checksum);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Slots).NotNull().InclusiveBetween(1, 10_000);
    }

    /// <summary>Appends the next blocks of one stratum's stream, deterministically from the list's seed; audited with the new checksum.</summary>
    internal sealed class Handler(EdcDbContext db, RandomizationListStore store) : IRequestHandler<Command, Extended>
    {
        public async Task<Extended> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await store.TrialAsync(command.TrialId, cancellationToken);
            trial.RequireOpenForData();

            var list = await db.RandomizationLists.FromSql($"SELECT * FROM randomization_lists WHERE trial_id = {trial.Id} FOR UPDATE")
                .SingleOrDefaultAsync(cancellationToken) ?? throw new NotFoundException("The randomization list");
            var stratum = command.Stratum ?? string.Empty;
            var strata = RandomizationListStore.StrataOf(trial);
            if (!strata.Contains(stratum))
            {
                throw new ValidationException([new FluentValidation.Results.ValidationFailure("stratum", "One of: " + string.Join(", ", strata.Select(s => $"'{s}'")) + ".")]);
            }

            if (list.Seed is null)
            {
                throw new RuleViolationException(RuleCodes.ImportedListNotExtendable, "An imported list has no seed to extend from; import the extension's slots instead.");
            }

            var existing = await db.RandomizationSlots.Where(s => s.ListId == list.Id).Select(s => s.ToSpec()).ToListAsync(cancellationToken);
            var added = BlockRandomizer.Extend(trial.Arms, strata, list.BlockSizes, long.Parse(list.Seed, CultureInfo.InvariantCulture), existing, stratum, command.Slots!.Value);
            db.RandomizationSlots.AddRange(added.Select(s => RandomizationSlot.From(list, s)));
            list.Extended(BlockRandomizer.Checksum(list.Algorithm, list.Seed, list.BlockSizes, [.. existing, .. added]));
            store.Audit("RandomizationListExtended", list, $"{added.Count} slots added to stratum '{stratum}'");
            return new Extended(stratum, added.Count, list.Checksum);
        }
    }
}

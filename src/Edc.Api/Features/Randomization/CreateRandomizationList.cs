using System.Globalization;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Randomization;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Randomization;

public static class CreateRandomizationList
{
    public sealed record Body(long? Seed, List<int>? BlockSizes, int? SlotsPerStratum);

    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Command(Guid TrialId, long? Seed, List<int>? BlockSizes, int? SlotsPerStratum) : IRequest<ListCreated>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Seed).GreaterThanOrEqualTo(0);
            RuleFor(c => c.BlockSizes).NotEmpty();
            RuleForEach(c => c.BlockSizes).InclusiveBetween(2, 24);
            RuleFor(c => c.SlotsPerStratum).NotNull().InclusiveBetween(1, 10_000);
        }
    }

    /// <summary>Generates the list in the system; without a seed one is drawn from a cryptographic generator and recorded.</summary>
    internal sealed class Handler(RandomizationListStore store) : IRequestHandler<Command, ListCreated>
    {
        public async Task<ListCreated> Handle(Command command, CancellationToken cancellationToken)
        {
            var trial = await store.TrialForNewListAsync(command.TrialId, cancellationToken);
            var seed = command.Seed ?? BlockRandomizer.NewSeed();
            var blockSizes = command.BlockSizes!.Distinct().Order().ToList();
            var slots = BlockRandomizer.Generate(trial.Arms, RandomizationListStore.StrataOf(trial), blockSizes, command.SlotsPerStratum!.Value, seed);
            return store.AddNew(
                trial, BlockRandomizer.Algorithm, seed.ToString(CultureInfo.InvariantCulture), blockSizes, command.SlotsPerStratum.Value,
                slots, BlockRandomizer.GroupKey(trial.Arms, seed));
        }
    }
}

using Edc.Api.Common;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Randomization;

public static class ReadRandomizationList
{
    public sealed record Query(Guid TrialId) : IRequest<ListView>;

    public sealed record SlotView(
        string Stratum, int Sequence, int BlockNumber, int BlockSize, string RandomizationNumber, string KitNumber, string ArmCode,
        Guid? ParticipantId, DateTimeOffset? AllocatedAt);

    public sealed record ListView(
        Guid Id, string Algorithm, string? Seed, IReadOnlyList<int> BlockSizes, int SlotsPerStratum, string Checksum, DateTimeOffset CreatedAt,
        IReadOnlyDictionary<string, string> GroupKey, IReadOnlyList<SlotView> Slots);

    /// <summary>The whole list with arms and the group key: the statistician's view only, and every read is audited.</summary>
    internal sealed class Handler(EdcDbContext db, RandomizationListStore store) : IRequestHandler<Query, ListView>
    {
        public async Task<ListView> Handle(Query query, CancellationToken cancellationToken)
        {
            var list = await db.RandomizationLists.AsNoTracking().SingleOrDefaultAsync(l => l.TrialId == query.TrialId, cancellationToken)
                ?? throw new NotFoundException("The randomization list");
            var slots = await db.RandomizationSlots.AsNoTracking().Where(s => s.ListId == list.Id)
                .OrderBy(s => s.StratumKey).ThenBy(s => s.Sequence)
                .Select(s => new SlotView(s.StratumKey, s.Sequence, s.BlockNumber, s.BlockSize, s.RandomizationNumber, s.KitNumber, s.ArmCode, s.ParticipantId, s.AllocatedAt))
                .ToListAsync(cancellationToken);
            store.Audit("Read", list);
            await db.SaveChangesAsync(cancellationToken);
            return new ListView(list.Id, list.Algorithm, list.Seed, list.BlockSizes, list.SlotsPerStratum, list.Checksum, list.CreatedAt, list.GroupKey, slots);
        }
    }
}

using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class RandomizationSlotConfiguration : IEntityTypeConfiguration<RandomizationSlot>
{
    public void Configure(EntityTypeBuilder<RandomizationSlot> builder)
    {
        builder.ToTable("randomization_slots");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.StratumKey).HasMaxLength(400);
        builder.Property(s => s.RandomizationNumber).HasMaxLength(40);
        builder.Property(s => s.KitNumber).HasMaxLength(40);
        builder.Property(s => s.ArmCode).HasMaxLength(40);
        builder.HasOne<RandomizationList>().WithMany().HasForeignKey(s => s.ListId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Participant>().WithOne().HasForeignKey<RandomizationSlot>(s => s.ParticipantId).OnDelete(DeleteBehavior.Restrict);

        // The database itself refuses a duplicate position, number, kit or allocation.
        builder.HasIndex(s => new { s.TrialId, s.StratumKey, s.Sequence }).IsUnique();
        builder.HasIndex(s => new { s.TrialId, s.RandomizationNumber }).IsUnique();
        builder.HasIndex(s => new { s.TrialId, s.KitNumber }).IsUnique();
        builder.HasIndex(s => s.ParticipantId).IsUnique();
    }
}

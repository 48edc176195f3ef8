using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class InfusionRecordConfiguration : IEntityTypeConfiguration<InfusionRecord>
{
    public void Configure(EntityTypeBuilder<InfusionRecord> builder)
    {
        builder.ToTable("infusions");
        builder.Property(i => i.Id).ValueGeneratedNever();
        builder.Property(i => i.KitNumber).HasMaxLength(40);
        builder.Property(i => i.NotAdministeredReason).HasMaxLength(2000);
        builder.Property(i => i.Version).IsConcurrencyToken().HasDefaultValue(1);
        builder.HasOne<ScheduledVisit>().WithOne().HasForeignKey<InfusionRecord>(i => i.VisitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Participant>().WithMany().HasForeignKey(i => i.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(i => i.VisitId).IsUnique();
        builder.HasIndex(i => i.ParticipantId);

        // The safety summary counts a trial's infusions in one pass.
        builder.HasIndex(i => i.TrialId);
    }
}

using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

// The editable records count their versions (VersionedRecord): the count is the concurrency token, so an update applies
// only to the version it was read at. A row written without one (hand-written SQL) is at its first version.
internal sealed class ScheduledVisitConfiguration : IEntityTypeConfiguration<ScheduledVisit>
{
    public void Configure(EntityTypeBuilder<ScheduledVisit> builder)
    {
        builder.ToTable("visits");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Code).HasMaxLength(40);
        builder.Property(v => v.Name).HasMaxLength(200);
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.MissedReason).HasMaxLength(2000);
        builder.Property(v => v.Version).IsConcurrencyToken().HasDefaultValue(1);
        builder.HasOne<Participant>().WithMany().HasForeignKey(v => v.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(v => new { v.ParticipantId, v.Code }).IsUnique();

        // The worklist: a site's open visits by window.
        builder.HasIndex(v => new { v.SiteId, v.Status, v.WindowEnd });
    }
}

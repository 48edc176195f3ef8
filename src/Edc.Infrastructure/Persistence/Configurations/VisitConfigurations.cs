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

internal sealed class ProtocolDeviationConfiguration : IEntityTypeConfiguration<ProtocolDeviation>
{
    public void Configure(EntityTypeBuilder<ProtocolDeviation> builder)
    {
        builder.ToTable("protocol_deviations");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Kind).HasMaxLength(60);
        builder.Property(d => d.Description).HasMaxLength(2000);
        builder.HasOne<Participant>().WithMany().HasForeignKey(d => d.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.ParticipantId);
    }
}

internal sealed class MrssAssessmentConfiguration : IEntityTypeConfiguration<MrssAssessment>
{
    public void Configure(EntityTypeBuilder<MrssAssessment> builder)
    {
        builder.ToTable("mrss_assessments");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.AssessorName).HasMaxLength(200);
        builder.Property(m => m.Version).IsConcurrencyToken().HasDefaultValue(1);
        builder.HasOne<ScheduledVisit>().WithOne().HasForeignKey<MrssAssessment>(m => m.VisitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Participant>().WithMany().HasForeignKey(m => m.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.VisitId).IsUnique();
        builder.HasIndex(m => m.ParticipantId);

        // The safety summary reads a trial's assessments in one pass.
        builder.HasIndex(m => m.TrialId);
    }
}

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

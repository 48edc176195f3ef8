using Edc.Domain.Notifications;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Trials;
using Edc.Domain.Unblinding;
using Edc.Infrastructure.Idempotency;
using Edc.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class ParticipantConfiguration : IEntityTypeConfiguration<Participant>
{
    public void Configure(EntityTypeBuilder<Participant> builder)
    {
        builder.ToTable("participants");
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.ScreeningNumber).HasMaxLength(40);
        builder.Property(p => p.Sex).HasMaxLength(20);
        builder.Property(p => p.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Eligibility).HasJsonbConversion();
        builder.Property(p => p.Strata).HasJsonbConversion();
        builder.Property(p => p.StratumKey).HasMaxLength(400);
        builder.Property(p => p.RandomizationNumber).HasMaxLength(40);
        builder.Property(p => p.KitNumber).HasMaxLength(40);
        builder.Property(p => p.WithdrawalReason).HasMaxLength(2000);
        builder.Property(p => p.EmergencyUnblindingReason).HasMaxLength(2000);
        builder.Property(p => p.StatusBeforeDeath).HasConversion<string>().HasMaxLength(20);
        builder.Property(p => p.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne<Trial>().WithMany().HasForeignKey(p => p.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Site>().WithMany().HasForeignKey(p => p.SiteId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(p => new { p.TrialId, p.ScreeningNumber }).IsUnique();
        builder.HasIndex(p => new { p.TrialId, p.RandomizationNumber }).IsUnique();
        builder.HasIndex(p => p.SiteId);
    }
}

internal sealed class RandomizationListConfiguration : IEntityTypeConfiguration<RandomizationList>
{
    public void Configure(EntityTypeBuilder<RandomizationList> builder)
    {
        builder.ToTable("randomization_lists");
        builder.Property(l => l.Id).ValueGeneratedNever();
        builder.Property(l => l.Algorithm).HasMaxLength(100);
        builder.Property(l => l.Seed).HasMaxLength(40);
        builder.Property(l => l.Checksum).HasMaxLength(64);
        builder.Property(l => l.GroupKey).HasJsonbConversion();
        builder.HasOne<Trial>().WithMany().HasForeignKey(l => l.TrialId).OnDelete(DeleteBehavior.Restrict);

        // One list per trial; extensions append to it.
        builder.HasIndex(l => l.TrialId).IsUnique();
    }
}

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

internal sealed class UnblindingRequestConfiguration : IEntityTypeConfiguration<UnblindingRequest>
{
    public void Configure(EntityTypeBuilder<UnblindingRequest> builder)
    {
        builder.ToTable("unblinding_requests");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Justification).HasMaxLength(4000);
        builder.Property(r => r.DecisionComment).HasMaxLength(4000);
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.Version).IsRowVersion().HasColumnName("xmin");
        builder.HasOne<Trial>().WithMany().HasForeignKey(r => r.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(r => r.TrialId);
    }
}

internal sealed class NotificationConfiguration : IEntityTypeConfiguration<Notification>
{
    public void Configure(EntityTypeBuilder<Notification> builder)
    {
        builder.ToTable("notifications");
        builder.Property(n => n.Id).ValueGeneratedNever();
        builder.Property(n => n.Kind).HasMaxLength(60);
        builder.Property(n => n.Subject).HasMaxLength(300);
        builder.HasOne<EdcUser>().WithMany().HasForeignKey(n => n.RecipientUserId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(n => new { n.RecipientUserId, n.CreatedAt });
        builder.HasIndex(n => n.NextAttemptAt).HasFilter("delivered_at IS NULL");
    }
}

internal sealed class IdempotencyRecordConfiguration : IEntityTypeConfiguration<IdempotencyRecord>
{
    public void Configure(EntityTypeBuilder<IdempotencyRecord> builder)
    {
        builder.ToTable("idempotency_records");
        builder.HasKey(r => new { r.UserId, r.Key });
        builder.Property(r => r.Key).HasMaxLength(200);
        builder.Property(r => r.RequestHash).HasMaxLength(64);
        builder.Property(r => r.ContentType).HasMaxLength(200);
        builder.Property(r => r.Location).HasMaxLength(2000);
        builder.HasIndex(r => r.CreatedAt);
    }
}

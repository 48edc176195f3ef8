using Edc.Domain.Participants;
using Edc.Domain.Trials;
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

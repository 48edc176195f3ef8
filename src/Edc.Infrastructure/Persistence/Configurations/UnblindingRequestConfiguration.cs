using Edc.Domain.Trials;
using Edc.Domain.Unblinding;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

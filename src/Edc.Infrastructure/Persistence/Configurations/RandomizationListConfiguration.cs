using Edc.Domain.Randomization;
using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class SiteConfiguration : IEntityTypeConfiguration<Site>
{
    public void Configure(EntityTypeBuilder<Site> builder)
    {
        builder.ToTable("sites");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Code).HasMaxLength(40);
        builder.Property(s => s.Name).HasMaxLength(200);
        builder.HasOne<Trial>().WithMany().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => new { s.TrialId, s.Code }).IsUnique();
    }
}

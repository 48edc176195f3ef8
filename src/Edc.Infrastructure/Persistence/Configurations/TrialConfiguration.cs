using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class TrialConfiguration : IEntityTypeConfiguration<Trial>
{
    public void Configure(EntityTypeBuilder<Trial> builder)
    {
        builder.ToTable("trials");
        builder.HasKey(t => t.Id);
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Code).HasMaxLength(40);
        builder.HasIndex(t => t.Code).IsUnique();
        builder.Property(t => t.Title).HasMaxLength(500);
        builder.Property(t => t.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasMany(t => t.Arms).WithOne().HasForeignKey(a => a.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.Visits).WithOne().HasForeignKey(v => v.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.EligibilityCriteria).WithOne().HasForeignKey(c => c.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(t => t.StratificationFactors).WithOne().HasForeignKey(f => f.TrialId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(t => t.Arms).HasField("_arms");
        builder.Navigation(t => t.Visits).HasField("_visits");
        builder.Navigation(t => t.EligibilityCriteria).HasField("_criteria");
        builder.Navigation(t => t.StratificationFactors).HasField("_factors");
        builder.Navigation(t => t.Forms).HasField("_forms");
    }
}

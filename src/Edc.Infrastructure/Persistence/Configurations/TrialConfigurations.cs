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
    }
}

internal sealed class TrialArmConfiguration : IEntityTypeConfiguration<TrialArm>
{
    public void Configure(EntityTypeBuilder<TrialArm> builder)
    {
        builder.ToTable("trial_arms");
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Code).HasMaxLength(40);
        builder.Property(a => a.Name).HasMaxLength(300);
        builder.HasIndex(a => new { a.TrialId, a.Code }).IsUnique();
    }
}

internal sealed class VisitDefinitionConfiguration : IEntityTypeConfiguration<VisitDefinition>
{
    public void Configure(EntityTypeBuilder<VisitDefinition> builder)
    {
        builder.ToTable("visit_definitions");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Code).HasMaxLength(40);
        builder.Property(v => v.Name).HasMaxLength(200);
        builder.HasIndex(v => new { v.TrialId, v.Code }).IsUnique();
    }
}

internal sealed class EligibilityCriterionConfiguration : IEntityTypeConfiguration<EligibilityCriterion>
{
    public void Configure(EntityTypeBuilder<EligibilityCriterion> builder)
    {
        builder.ToTable("eligibility_criteria");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Code).HasMaxLength(40);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Text).HasMaxLength(2000);
        builder.HasIndex(c => new { c.TrialId, c.Code }).IsUnique();
    }
}

internal sealed class StratificationFactorConfiguration : IEntityTypeConfiguration<StratificationFactor>
{
    public void Configure(EntityTypeBuilder<StratificationFactor> builder)
    {
        builder.ToTable("stratification_factors");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Code).HasMaxLength(40);
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.HasIndex(f => new { f.TrialId, f.Code }).IsUnique();
    }
}

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

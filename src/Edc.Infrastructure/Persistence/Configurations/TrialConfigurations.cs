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

/// <summary>What every part of a trial definition has: its own table, a client-made id, a code unique within the trial.</summary>
internal abstract class TrialPartConfiguration<TPart>(string table) : IEntityTypeConfiguration<TPart>
    where TPart : TrialPart
{
    public virtual void Configure(EntityTypeBuilder<TPart> builder)
    {
        builder.ToTable(table);
        builder.Property(p => p.Id).ValueGeneratedNever();
        builder.Property(p => p.Code).HasMaxLength(40);
        builder.HasIndex(p => new { p.TrialId, p.Code }).IsUnique();
    }
}

internal sealed class TrialArmConfiguration() : TrialPartConfiguration<TrialArm>("trial_arms")
{
    public override void Configure(EntityTypeBuilder<TrialArm> builder)
    {
        base.Configure(builder);
        builder.Property(a => a.Name).HasMaxLength(300);
    }
}

internal sealed class VisitDefinitionConfiguration() : TrialPartConfiguration<VisitDefinition>("visit_definitions")
{
    public override void Configure(EntityTypeBuilder<VisitDefinition> builder)
    {
        base.Configure(builder);
        builder.Property(v => v.Name).HasMaxLength(200);
    }
}

internal sealed class EligibilityCriterionConfiguration() : TrialPartConfiguration<EligibilityCriterion>("eligibility_criteria")
{
    public override void Configure(EntityTypeBuilder<EligibilityCriterion> builder)
    {
        base.Configure(builder);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Text).HasMaxLength(2000);
    }
}

internal sealed class StratificationFactorConfiguration() : TrialPartConfiguration<StratificationFactor>("stratification_factors")
{
    public override void Configure(EntityTypeBuilder<StratificationFactor> builder)
    {
        base.Configure(builder);
        builder.Property(f => f.Name).HasMaxLength(200);
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

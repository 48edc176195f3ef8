using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

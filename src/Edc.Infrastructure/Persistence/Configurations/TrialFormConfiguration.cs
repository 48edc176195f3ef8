using Edc.Domain.Forms;
using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class TrialFormConfiguration : IEntityTypeConfiguration<TrialForm>
{
    public void Configure(EntityTypeBuilder<TrialForm> builder)
    {
        builder.ToTable("trial_forms");
        builder.Property(f => f.Id).ValueGeneratedNever();
        builder.Property(f => f.Code).HasMaxLength(20);
        builder.Property(f => f.Name).HasMaxLength(200);
        builder.Property(f => f.Definition).HasColumnType("jsonb");
        builder.HasOne<Trial>().WithMany(t => t.Forms).HasForeignKey(f => f.TrialId).OnDelete(DeleteBehavior.Restrict);

        // A version is added once: two editors adding the same next version at once, one of them fails.
        builder.HasIndex(f => new { f.TrialId, f.Code, f.Version }).IsUnique();
        builder.HasIndex(f => new { f.TrialId, f.Ordinal }).IsUnique();
    }
}

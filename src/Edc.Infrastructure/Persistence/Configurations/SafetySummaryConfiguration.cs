using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class SafetySummaryConfiguration : IEntityTypeConfiguration<SafetySummary>
{
    public void Configure(EntityTypeBuilder<SafetySummary> builder)
    {
        builder.ToTable("safety_summaries");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.GeneratedByJob).HasMaxLength(SafetySummary.MaxJobNameLength);
        builder.Property(s => s.PeriodKey).HasMaxLength(SafetySummary.MaxPeriodLength);
        builder.Property(s => s.Content).HasColumnType("jsonb");
        builder.Property(s => s.ContentSha256).HasMaxLength(64);
        builder.HasOne<Trial>().WithMany().HasForeignKey(s => s.TrialId).OnDelete(DeleteBehavior.Restrict);

        // The list: a trial's summaries, newest first.
        builder.HasIndex(s => new { s.TrialId, s.DataCutoff });

        // A job re-fired for the same period finds the summary it made and makes no second one.
        builder.HasIndex(s => new { s.TrialId, s.PeriodKey }).IsUnique().HasFilter("period_key IS NOT NULL");
    }
}

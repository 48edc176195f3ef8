using Edc.Infrastructure.Scheduling;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class JobRunConfiguration : IEntityTypeConfiguration<JobRun>
{
    public void Configure(EntityTypeBuilder<JobRun> builder)
    {
        builder.ToTable("job_runs");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.Job).HasMaxLength(100);
        builder.Property(r => r.Period).HasMaxLength(40);
        builder.Property(r => r.Outcome).HasMaxLength(500);

        // A job without a trial has one run per period too: NULL trial ids count as equal here.
        builder.HasIndex(r => new { r.Job, r.TrialId, r.Period }).IsUnique().AreNullsDistinct(false);
    }
}

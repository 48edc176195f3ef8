using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class AdverseEventConfiguration : IEntityTypeConfiguration<AdverseEvent>
{
    public void Configure(EntityTypeBuilder<AdverseEvent> builder)
    {
        builder.ToTable("adverse_events");
        builder.Property(a => a.Id).ValueGeneratedNever();

        // The version number is the event's ETag and its concurrency token: an update applies only to the version it was read at.
        builder.Property(a => a.CurrentVersion).IsConcurrencyToken();

        // The current version's form: its fields are columns of the event's own (SnakeCaseNames), which the lists filter on.
        builder.ComplexProperty(a => a.Report, report =>
        {
            report.Property(r => r.Term).HasMaxLength(200);
            report.PrimitiveCollection(r => r.SeriousnessCriteria).ElementType(e => e.HasConversion<string>());
            report.Property(r => r.Relatedness).HasConversion<string>().HasMaxLength(20);
            report.Property(r => r.ActionTaken).HasConversion<string>().HasMaxLength(30);
            report.Property(r => r.Outcome).HasConversion<string>().HasMaxLength(30);
        });
        builder.Ignore(a => a.SponsorClock);
        builder.Ignore(a => a.RegulatorClock);
        builder.HasOne<Participant>().WithMany().HasForeignKey(a => a.ParticipantId).OnDelete(DeleteBehavior.Restrict);

        // The lists: a trial's events newest first, optionally by site or participant.
        builder.HasIndex(a => new { a.TrialId, a.CreatedAt, a.Id });
        builder.HasIndex(a => new { a.SiteId, a.CreatedAt });
        builder.HasIndex(a => a.ParticipantId);

        // The expedited-reporting worklist: the reports not yet sent, by deadline.
        builder.HasIndex(a => new { a.TrialId, a.SponsorDueAt }).HasFilter("sponsor_due_at IS NOT NULL AND sponsor_report_sent_at IS NULL")
            .HasDatabaseName("ix_adverse_events_sponsor_reports_pending");
        builder.HasIndex(a => new { a.TrialId, a.RegulatorDueAt }).HasFilter("regulator_due_at IS NOT NULL AND regulator_report_sent_at IS NULL")
            .HasDatabaseName("ix_adverse_events_regulator_reports_pending");
    }
}

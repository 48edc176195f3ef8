using System.Text.Json;
using System.Text.Json.Serialization;
using Edc.Domain.Participants;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
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

internal sealed class AdverseEventVersionConfiguration : IEntityTypeConfiguration<AdverseEventVersion>
{
    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web) { Converters = { new JsonStringEnumConverter() } };

    public void Configure(EntityTypeBuilder<AdverseEventVersion> builder)
    {
        builder.ToTable("adverse_event_versions");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.Property(v => v.Report).HasColumnType("jsonb").HasConversion(
            report => JsonSerializer.Serialize(report, ReportJson),
            json => JsonSerializer.Deserialize<AdverseEventReport>(json, ReportJson)!);
        builder.Property(v => v.Reason).HasMaxLength(2000);
        builder.HasOne<AdverseEvent>().WithMany().HasForeignKey(v => v.AdverseEventId).OnDelete(DeleteBehavior.Restrict);

        // Two versions with one number cannot both be saved: concurrent revisions of one event cannot both win.
        builder.HasIndex(v => new { v.AdverseEventId, v.Number }).IsUnique();
    }
}

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

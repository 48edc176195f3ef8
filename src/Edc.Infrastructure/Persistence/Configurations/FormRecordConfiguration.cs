using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class FormRecordConfiguration : IEntityTypeConfiguration<FormRecord>
{
    public void Configure(EntityTypeBuilder<FormRecord> builder)
    {
        builder.ToTable("form_records");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.FormCode).HasMaxLength(20);
        builder.Property(r => r.Values).HasColumnType("jsonb");
        builder.Property(r => r.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(r => r.RemovedReason).HasMaxLength(2000);
        builder.Property(r => r.Version).IsConcurrencyToken().HasDefaultValue(1);
        builder.HasOne<Participant>().WithMany().HasForeignKey(r => r.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<ScheduledVisit>().WithMany().HasForeignKey(r => r.VisitId).OnDelete(DeleteBehavior.Restrict);

        // A visit holds one record of a form; concurrent first saves meet here.
        builder.HasIndex(r => new { r.VisitId, r.FormCode }).IsUnique().HasFilter("visit_id IS NOT NULL");

        // A casebook, a log and the participant-by-visit grid read a participant's records; an export reads a form's.
        builder.HasIndex(r => new { r.ParticipantId, r.FormCode });
        builder.HasIndex(r => new { r.TrialId, r.FormCode });
    }
}

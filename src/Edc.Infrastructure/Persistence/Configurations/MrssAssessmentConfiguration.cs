using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class MrssAssessmentConfiguration : IEntityTypeConfiguration<MrssAssessment>
{
    public void Configure(EntityTypeBuilder<MrssAssessment> builder)
    {
        builder.ToTable("mrss_assessments");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.AssessorName).HasMaxLength(200);
        builder.Property(m => m.Version).IsConcurrencyToken().HasDefaultValue(1);
        builder.HasOne<ScheduledVisit>().WithOne().HasForeignKey<MrssAssessment>(m => m.VisitId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Participant>().WithMany().HasForeignKey(m => m.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(m => m.VisitId).IsUnique();
        builder.HasIndex(m => m.ParticipantId);

        // The safety summary reads a trial's assessments in one pass.
        builder.HasIndex(m => m.TrialId);
    }
}

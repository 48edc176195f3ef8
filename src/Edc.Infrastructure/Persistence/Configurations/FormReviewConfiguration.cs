using Edc.Domain.DataManagement;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class FormReviewConfiguration : IEntityTypeConfiguration<FormReview>
{
    public void Configure(EntityTypeBuilder<FormReview> builder)
    {
        builder.ToTable("form_reviews");
        builder.Property(r => r.Id).ValueGeneratedNever();
        builder.Property(r => r.FormCode).HasMaxLength(20);
        builder.Property(r => r.Version).IsConcurrencyToken();
        builder.HasOne<ScheduledVisit>().WithMany().HasForeignKey(r => r.VisitId).OnDelete(DeleteBehavior.Restrict);

        // One review per visit and form; a save reads its participant's.
        builder.HasIndex(r => new { r.VisitId, r.FormCode }).IsUnique();
        builder.HasIndex(r => r.ParticipantId);
    }
}

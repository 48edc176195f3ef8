using Edc.Domain.DataManagement;
using Edc.Domain.Participants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class DataQueryConfiguration : IEntityTypeConfiguration<DataQuery>
{
    public void Configure(EntityTypeBuilder<DataQuery> builder)
    {
        builder.ToTable("data_queries");
        builder.Property(q => q.Id).ValueGeneratedNever();
        builder.Property(q => q.VisitCode).HasMaxLength(20);
        builder.Property(q => q.FormCode).HasMaxLength(20);
        builder.Property(q => q.ItemCode).HasMaxLength(40);
        builder.Property(q => q.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(q => q.Automatic).HasConversion<string>().HasMaxLength(20);
        builder.Property(q => q.Version).IsConcurrencyToken();
        builder.HasOne<Participant>().WithMany().HasForeignKey(q => q.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(q => q.Messages).WithOne().HasForeignKey(m => m.QueryId).OnDelete(DeleteBehavior.Restrict);
        builder.Navigation(q => q.Messages).UsePropertyAccessMode(PropertyAccessMode.Field);

        // Inboxes list a trial's queries by status and site; a casebook and a save read a participant's.
        builder.HasIndex(q => new { q.TrialId, q.Status, q.SiteId });
        builder.HasIndex(q => new { q.ParticipantId, q.FormCode });
    }
}

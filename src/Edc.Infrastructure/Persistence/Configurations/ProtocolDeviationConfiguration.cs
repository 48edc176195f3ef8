using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class ProtocolDeviationConfiguration : IEntityTypeConfiguration<ProtocolDeviation>
{
    public void Configure(EntityTypeBuilder<ProtocolDeviation> builder)
    {
        builder.ToTable("protocol_deviations");
        builder.Property(d => d.Id).ValueGeneratedNever();
        builder.Property(d => d.Kind).HasMaxLength(60);
        builder.Property(d => d.Description).HasMaxLength(2000);
        builder.HasOne<Participant>().WithMany().HasForeignKey(d => d.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(d => d.ParticipantId);
    }
}

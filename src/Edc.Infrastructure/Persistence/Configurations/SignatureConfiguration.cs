using Edc.Domain.DataManagement;
using Edc.Domain.Participants;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class SignatureConfiguration : IEntityTypeConfiguration<Signature>
{
    public void Configure(EntityTypeBuilder<Signature> builder)
    {
        builder.ToTable("signatures");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.Property(s => s.Scope).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.Meaning).HasConversion<string>().HasMaxLength(20);
        builder.Property(s => s.VisitCode).HasMaxLength(20);
        builder.Property(s => s.SignerName).HasMaxLength(256);
        builder.Property(s => s.ContentHash).HasMaxLength(64).IsFixedLength();
        builder.Property(s => s.InvalidationReason).HasMaxLength(2000);
        builder.HasOne<Participant>().WithMany().HasForeignKey(s => s.ParticipantId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(s => s.ParticipantId);
    }
}

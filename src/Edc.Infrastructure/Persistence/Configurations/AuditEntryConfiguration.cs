using Edc.Infrastructure.Auditing;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Sequence);

        // Assigned by the audit_entries_chain trigger under a lock; never by the client.
        builder.Property(a => a.Sequence).HasColumnName("seq").ValueGeneratedOnAdd()
            .Metadata.SetValueGenerationStrategy(NpgsqlValueGenerationStrategy.None);
        builder.Property(a => a.OccurredAt).ValueGeneratedOnAdd();
        builder.Property(a => a.PreviousHash).ValueGeneratedOnAdd();
        builder.Property(a => a.Hash).ValueGeneratedOnAdd();

        builder.Property(a => a.Action).HasMaxLength(40);
        builder.Property(a => a.EntityType).HasMaxLength(100);
        builder.Property(a => a.EntityId).HasMaxLength(200);
        builder.Property(a => a.Field).HasMaxLength(100);
        builder.HasIndex(a => new { a.TrialId, a.OccurredAt });
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.UserId);
    }
}

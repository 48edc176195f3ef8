using Edc.Domain.DataManagement;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class QueryMessageConfiguration : IEntityTypeConfiguration<QueryMessage>
{
    public void Configure(EntityTypeBuilder<QueryMessage> builder)
    {
        builder.ToTable("query_messages");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(m => m.Text).HasMaxLength(DataQuery.MaxTextLength);
        builder.Property(m => m.AuthorName).HasMaxLength(256);
        builder.Property(m => m.AuthorRole).HasMaxLength(40);
        builder.HasIndex(m => new { m.QueryId, m.At });
    }
}

using System.Text.Json;
using System.Text.Json.Serialization;
using Edc.Domain.Safety;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

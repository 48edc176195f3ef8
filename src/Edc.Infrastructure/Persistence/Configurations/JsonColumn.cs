using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal static class JsonColumn
{
    /// <summary>Stores a small dictionary as jsonb, compared by content so in-place changes are detected.</summary>
    public static PropertyBuilder<Dictionary<string, TValue>> HasJsonbConversion<TValue>(this PropertyBuilder<Dictionary<string, TValue>> property) =>
        property
            .HasColumnType("jsonb")
            .HasConversion(
                value => JsonSerializer.Serialize(value, JsonSerializerOptions.Default),
                json => JsonSerializer.Deserialize<Dictionary<string, TValue>>(json, JsonSerializerOptions.Default) ?? new Dictionary<string, TValue>(),
                new ValueComparer<Dictionary<string, TValue>>(
                    (a, b) => JsonSerializer.Serialize(a, JsonSerializerOptions.Default) == JsonSerializer.Serialize(b, JsonSerializerOptions.Default),
                    d => JsonSerializer.Serialize(d, JsonSerializerOptions.Default).GetHashCode(StringComparison.Ordinal),
                    d => new Dictionary<string, TValue>(d)));
}

using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Edc.Api.Common;

/// <summary>
/// Writes timestamps as the contract shows them, in UTC with a "Z" (2026-03-01T14:05:00Z); reads any ISO 8601 offset,
/// and a timestamp or date without one as UTC (never as the server's local time).
/// </summary>
public sealed class UtcTimestampConverter : JsonConverter<DateTimeOffset>
{
    public override DateTimeOffset Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        var withOffset = reader.GetDateTimeOffset();
        var read = reader.GetDateTime();
        return read.Kind == DateTimeKind.Unspecified ? new DateTimeOffset(read, TimeSpan.Zero) : withOffset;
    }

    public override void Write(Utf8JsonWriter writer, DateTimeOffset value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
}

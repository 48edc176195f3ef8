using System.Globalization;
using System.Text;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Exports;

/// <summary>
/// Writes RFC 4180 CSV (comma separated, CRLF line ends, a field quoted when it holds a comma, quote or line break,
/// quotes doubled). Free text is also defused against spreadsheet formula injection: a text field starting with
/// <c>=</c>, <c>+</c>, <c>-</c>, <c>@</c>, a tab or a carriage return gets a leading single quote. Numbers, dates and
/// booleans are written as they are (a negative change from baseline stays a number).
/// </summary>
internal sealed class CsvWriter(TextWriter writer)
{
    private bool _atRowStart = true;

    public static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false);

    public CsvWriter Text(string? value)
    {
        Separator();
        if (!string.IsNullOrEmpty(value))
        {
            writer.Write(Escape(value));
        }

        return this;
    }

    public CsvWriter Number(int? value)
    {
        Separator();
        if (value is { } number)
        {
            writer.Write(number.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public CsvWriter Number(decimal? value)
    {
        Separator();
        if (value is { } number)
        {
            writer.Write(number.ToString(CultureInfo.InvariantCulture));
        }

        return this;
    }

    public CsvWriter Date(DateOnly? value)
    {
        Separator();
        if (value is { } date)
        {
            writer.Write(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
        }

        return this;
    }

    /// <summary>A date and time in UTC, as the contract writes them (<c>2026-12-07T09:30:00Z</c>).</summary>
    public CsvWriter Instant(DateTimeOffset? value)
    {
        Separator();
        if (value is { } instant)
        {
            writer.Write(FormValues.Format(instant));
        }

        return this;
    }

    public CsvWriter Boolean(bool value)
    {
        Separator();
        writer.Write(value ? "true" : "false");
        return this;
    }

    /// <summary>A header line: the names, as text.</summary>
    public void Header(IEnumerable<string> names)
    {
        foreach (var name in names)
        {
            Text(name);
        }

        EndRow();
    }

    public void EndRow()
    {
        writer.Write("\r\n");
        _atRowStart = true;
    }

    public static string Escape(string value)
    {
        if (value[0] is '=' or '+' or '-' or '@' or '\t' or '\r')
        {
            value = "'" + value;
        }

        return value.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + value.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : value;
    }

    private void Separator()
    {
        if (!_atRowStart)
        {
            writer.Write(',');
        }

        _atRowStart = false;
    }
}

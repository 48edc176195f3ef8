using System.Net;
using System.Text;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>Reading the CSV exports: a small RFC 4180 reader, rows as records by header, and an export's text.</summary>
public static class Csv
{
    /// <summary>An export's text (200 and text/csv expected); <paramref name="export"/> is the path after <c>exports/</c>.</summary>
    public static async Task<string> ExportAsync(HttpClient client, Guid trialId, string export)
    {
        var response = await client.GetAsync($"/api/trials/{trialId}/exports/{export}");
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{export}: {(int)response.StatusCode} {text}");
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        return text;
    }

    /// <summary>The rows after the header, each as column name to value.</summary>
    public static List<Dictionary<string, string>> Records(List<string[]> rows) =>
        [.. rows.Skip(1).Select(r => rows[0].Zip(r).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal))];

    /// <summary>Quoted fields may hold commas, doubled quotes and line breaks; every line ends with CRLF.</summary>
    public static List<string[]> Parse(string text)
    {
        var rows = new List<string[]>();
        var row = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
            }
            else if (c == '"')
            {
                quoted = true;
            }
            else if (c == ',')
            {
                row.Add(field.ToString());
                field.Clear();
            }
            else if (c == '\r' && i + 1 < text.Length && text[i + 1] == '\n')
            {
                i++;
                row.Add(field.ToString());
                field.Clear();
                rows.Add([.. row]);
                row.Clear();
            }
            else
            {
                field.Append(c);
            }
        }

        Assert.False(quoted, "An unterminated quoted field.");
        Assert.True(field.Length == 0 && row.Count == 0, "The last line has no line break.");
        return rows;
    }
}

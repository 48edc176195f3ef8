using System.Buffers;
using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using Npgsql;

namespace Edc.Twin;

/// <summary>
/// The read endpoints: the statements, one round trip each as the API's handlers send them, every row answered as JSON
/// (column names in camelCase, written straight from the reader).
/// </summary>
internal static class Reads
{
    /// <summary>
    /// As GetCasebook, in three statements: the participant at the caller's sites with its trial and its visits, each with its
    /// MRSS and infusion (left joins), then its adverse events, then its signatures (with the invalidator's name). Marker columns named "|" split a row into the trial, the participant, the visit (with its MRSS) and its infusion.
    /// </summary>
    public static async Task<IResult> CasebookAsync(NpgsqlDataSource db, Guid trialId, Guid participantId, Guid[]? sites, CancellationToken ct)
    {
        if (sites is null)
        {
            return Results.BadRequest();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        await using var command = Json.Command(
            connection,
            """
            SELECT t.*, NULL AS "|", p.*, NULL AS "|", v.*, m.id AS mrss_id, m.assessed_on AS mrss_assessed_on, m.total AS mrss_total, NULL AS "|", i.*
            FROM participants p
            JOIN trials t ON t.id = p.trial_id
            LEFT JOIN (visits v
                LEFT JOIN mrss_assessments m ON m.visit_id = v.id
                LEFT JOIN infusions i ON i.visit_id = v.id) ON v.participant_id = p.id
            WHERE p.trial_id = $1 AND p.id = $2 AND p.site_id = ANY ($3)
            ORDER BY v.day IS NULL, v.day, v.code
            """,
            trialId,
            participantId,
            sites);
        await using var reader = await command.ExecuteReaderAsync(ct);
        if (!await reader.ReadAsync(ct))
        {
            return Results.NotFound();
        }

        var markers = Enumerable.Range(0, reader.FieldCount).Where(i => reader.GetName(i) == "|").ToArray();
        var (participantStart, visitStart, infusionStart) = (markers[0] + 1, markers[1] + 1, markers[2] + 1);
        var names = Json.NamesOf(reader);
        using var answer = new JsonAnswer();
        var json = answer.Json;
        json.WriteStartObject();
        json.WritePropertyName("trial");
        Json.WriteObject(json, reader, names, 0, participantStart - 1);
        json.WritePropertyName("participant");
        Json.WriteObject(json, reader, names, participantStart, visitStart - 1);
        json.WritePropertyName("visits");
        json.WriteStartArray();
        do
        {
            if (!reader.IsDBNull(visitStart))
            {
                Json.WriteObject(json, reader, names, visitStart, infusionStart - 1, end: false);
                json.WritePropertyName("infusion");
                if (reader.IsDBNull(infusionStart))
                {
                    json.WriteNullValue();
                }
                else
                {
                    Json.WriteObject(json, reader, names, infusionStart, reader.FieldCount);
                }

                json.WriteEndObject();
            }
        }
        while (await reader.ReadAsync(ct));

        json.WriteEndArray();
        await reader.CloseAsync();
        json.WritePropertyName("adverseEvents");
        await Json.RowsAsync(
            json,
            connection,
            single: false,
            "SELECT a.id, a.term, a.onset_date, a.ongoing, a.grade, a.serious, a.susar FROM adverse_events a WHERE a.participant_id = $1 ORDER BY a.onset_date, a.created_at",
            ct,
            participantId);
        json.WritePropertyName("signatures");
        await Json.RowsAsync(
            json,
            connection,
            single: false,
            """
            SELECT s.id, s.scope, s.visit_code, s.meaning, s.signer_name, s.signed_at, s.content_hash, s.invalidated_at IS NULL AS valid,
                   s.invalidated_at, u.display_name AS invalidated_by, s.invalidation_reason
            FROM signatures s LEFT JOIN users u ON u.id = s.invalidated_by
            WHERE s.participant_id = $1 ORDER BY s.signed_at, s.id
            """,
            ct,
            participantId);
        json.WriteEndObject();
        return answer.Result();
    }

    /// <summary>
    /// As VisitWorklist, in one statement: the page ordered by urgency, each row with the total before paging
    /// (<c>count(*) OVER ()</c>). A page without rows asks for the trial's visibility and the total, as the API does.
    /// </summary>
    public static async Task<IResult> WorklistAsync(NpgsqlDataSource db, Guid trialId, Guid[]? sites, int page, int pageSize, CancellationToken ct)
    {
        if (sites is null)
        {
            return Results.BadRequest();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        using var answer = new JsonAnswer();
        answer.Json.WriteStartObject();
        if (!await WriteWorklistAsync(answer.Json, connection, trialId, sites, page, pageSize, ct))
        {
            return Results.BadRequest(); // the suite's pages always have rows; an empty one would be asked twice more by the API
        }

        answer.Json.WriteEndObject();
        return answer.Result();
    }

    /// <summary>The worklist's page (items, page, pageSize, total) into an open object; false when the page has no row.</summary>
    public static async Task<bool> WriteWorklistAsync(Utf8JsonWriter json, NpgsqlConnection connection, Guid trialId, Guid[] sites, int page, int pageSize, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        var horizon = today.AddDays(14);
        await using var command = Json.Command(
            connection,
            """
            SELECT v.participant_id, p.screening_number, v.site_id, v.code AS visit_code, v.name AS visit_name, v.target_date, v.window_start,
                   v.window_end, (count(*) OVER ())::int AS total
            FROM visits v JOIN participants p ON v.participant_id = p.id
            WHERE p.trial_id = $1 AND p.site_id = ANY ($2) AND p.status = 'Randomized' AND v.trial_id = $1 AND v.status = 'Scheduled'
              AND v.day IS NOT NULL AND v.window_start IS NOT NULL AND v.window_end IS NOT NULL AND v.window_start <= $3
            ORDER BY CASE WHEN v.window_end < $4 THEN 0 WHEN v.window_start <= $4 THEN 1 ELSE 2 END,
                     CASE WHEN (CASE WHEN v.window_end < $4 THEN 0 WHEN v.window_start <= $4 THEN 1 ELSE 2 END) = 2 THEN v.window_start ELSE v.window_end END,
                     p.screening_number, v.day, v.code
            LIMIT $5 OFFSET $6
            """,
            trialId,
            sites,
            horizon,
            today,
            pageSize,
            (page - 1) * pageSize);
        await using var reader = await command.ExecuteReaderAsync(ct);
        json.WritePropertyName("items");
        json.WriteStartArray();
        var total = 0;
        var totalColumn = reader.GetOrdinal("total");
        var names = Json.NamesOf(reader);
        while (await reader.ReadAsync(ct))
        {
            total = reader.GetInt32(totalColumn);
            Json.WriteObject(json, reader, names, 0, totalColumn);
        }

        json.WriteEndArray();
        json.WriteNumber("page", page);
        json.WriteNumber("pageSize", pageSize);
        json.WriteNumber("total", total);
        return total > 0;
    }

    private const string AdverseEventColumns =
        """
        a.id, a.trial_id, a.site_id, a.participant_id, a.current_version, a.term, a.onset_date, a.end_date, a.ongoing, a.grade, a.serious,
        a.seriousness_criteria, a.relatedness, a.expected, a.action_taken, a.outcome, a.aware_at, a.susar, a.sponsor_clock_started_at,
        a.sponsor_due_at, a.sponsor_report_sent_at, a.regulator_clock_started_at, a.regulator_due_at, a.regulator_report_sent_at,
        a.created_at, a.updated_at, p.screening_number
        """;

    /// <summary>
    /// The adverse-event list in one round trip: the count of the visible events (not joined: every event has its participant,
    /// by foreign key) and the page, newest first. A single site is compared with =, several with = ANY, as EF Core sends them.
    /// </summary>
    public static async Task<IResult> AdverseEventsAsync(NpgsqlDataSource db, Guid trialId, Guid[]? sites, int page, int pageSize, CancellationToken ct)
    {
        var filter = sites switch
        {
            null => string.Empty,
            { Length: 1 } => " AND a.site_id = $2",
            _ => " AND a.site_id = ANY ($2)",
        };
        object[] where = sites switch
        {
            null => [trialId],
            { Length: 1 } => [trialId, sites[0]],
            _ => [trialId, sites],
        };
        await using var connection = await db.OpenConnectionAsync(ct);
        await using var batch = new NpgsqlBatch(connection);
        batch.BatchCommands.Add(Json.BatchCommand("SELECT count(*)::int FROM adverse_events a WHERE a.trial_id = $1" + filter, where));
        batch.BatchCommands.Add(Json.BatchCommand(
            $"""
             SELECT {AdverseEventColumns}
             FROM adverse_events a JOIN participants p ON p.id = a.participant_id
             WHERE a.trial_id = $1{filter}
             ORDER BY a.created_at DESC, a.id DESC LIMIT ${where.Length + 1} OFFSET ${where.Length + 2}
             """,
            [.. where, pageSize, (page - 1) * pageSize]));
        await using var reader = await batch.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var total = reader.GetInt32(0);
        await reader.NextResultAsync(ct);
        using var answer = new JsonAnswer();
        var json = answer.Json;
        json.WriteStartObject();
        json.WritePropertyName("items");
        await Json.WriteAsync(json, reader, single: false, ct);
        json.WriteNumber("page", page);
        json.WriteNumber("pageSize", pageSize);
        json.WriteNumber("total", total);
        json.WriteEndObject();
        return answer.Result();
    }
}

/// <summary>An answer written into a buffer, then sent whole with its length.</summary>
internal sealed class JsonAnswer : IDisposable
{
    private readonly ArrayBufferWriter<byte> _buffer = new(8192);

    public JsonAnswer() => Json = new Utf8JsonWriter(_buffer);

    public Utf8JsonWriter Json { get; }

    public IResult Result(int status = StatusCodes.Status200OK)
    {
        Json.Flush();
        return new BufferResult(_buffer, status);
    }

    public void Dispose() => Json.Dispose();

    private sealed class BufferResult(ArrayBufferWriter<byte> body, int status) : IResult
    {
        public Task ExecuteAsync(HttpContext httpContext)
        {
            var response = httpContext.Response;
            response.StatusCode = status;
            response.ContentType = "application/json; charset=utf-8";
            response.ContentLength = body.WrittenCount;
            return response.Body.WriteAsync(body.WrittenMemory).AsTask();
        }
    }
}

/// <summary>Commands with positional parameters, and rows written as JSON objects.</summary>
internal static class Json
{
    private static readonly ConcurrentDictionary<string, JsonEncodedText> Names = new(StringComparer.Ordinal);

    public static NpgsqlCommand Command(NpgsqlConnection connection, string sql, params object[] values)
    {
        var command = new NpgsqlCommand(sql, connection);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    public static NpgsqlBatchCommand BatchCommand(string sql, params object[] values)
    {
        var command = new NpgsqlBatchCommand(sql);
        foreach (var value in values)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return command;
    }

    /// <summary>Runs the query and writes its rows (one object, or null, when <paramref name="single"/>); returns how many.</summary>
    public static async Task<int> RowsAsync(Utf8JsonWriter json, NpgsqlConnection connection, bool single, string sql, CancellationToken ct, params object[] values)
    {
        await using var command = Command(connection, sql, values);
        await using var reader = await command.ExecuteReaderAsync(ct);
        return await WriteAsync(json, reader, single, ct);
    }

    public static async Task<int> WriteAsync(Utf8JsonWriter json, NpgsqlDataReader reader, bool single, CancellationToken ct)
    {
        var names = NamesOf(reader);
        var rows = 0;
        if (!single)
        {
            json.WriteStartArray();
        }

        while (await reader.ReadAsync(ct))
        {
            if (single && rows > 0)
            {
                continue;
            }

            rows++;
            WriteObject(json, reader, names, 0, reader.FieldCount);
        }

        if (!single)
        {
            json.WriteEndArray();
        }
        else if (rows == 0)
        {
            json.WriteNullValue();
        }

        return rows;
    }

    /// <summary>The reader's column names in camelCase, encoded once.</summary>
    public static JsonEncodedText[] NamesOf(NpgsqlDataReader reader)
    {
        var names = new JsonEncodedText[reader.FieldCount];
        for (var i = 0; i < names.Length; i++)
        {
            names[i] = Names.GetOrAdd(reader.GetName(i), static name => JsonEncodedText.Encode(CamelCase(name)));
        }

        return names;
    }

    /// <summary>Writes the current row's columns [<paramref name="from"/>, <paramref name="to"/>) as one object (left open unless <paramref name="end"/>).</summary>
    public static void WriteObject(Utf8JsonWriter json, NpgsqlDataReader reader, JsonEncodedText[] names, int from, int to, bool end = true)
    {
        json.WriteStartObject();
        for (var i = from; i < to; i++)
        {
            json.WritePropertyName(names[i]);
            Value(json, reader.GetValue(i));
        }

        if (end)
        {
            json.WriteEndObject();
        }
    }

    private static void Value(Utf8JsonWriter json, object value)
    {
        switch (value)
        {
            case DBNull:
                json.WriteNullValue();
                break;
            case string s:
                json.WriteStringValue(s);
                break;
            case Guid g:
                json.WriteStringValue(g);
                break;
            case bool b:
                json.WriteBooleanValue(b);
                break;
            case int n:
                json.WriteNumberValue(n);
                break;
            case long n:
                json.WriteNumberValue(n);
                break;
            case short n:
                json.WriteNumberValue(n);
                break;
            case uint n:
                json.WriteNumberValue(n);
                break;
            case decimal n:
                json.WriteNumberValue(n);
                break;
            case double n:
                json.WriteNumberValue(n);
                break;
            case DateTime d when d.TimeOfDay == TimeSpan.Zero && d.Kind != DateTimeKind.Utc:
                json.WriteStringValue(DateOnly.FromDateTime(d).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case DateTime d:
                json.WriteStringValue(d);
                break;
            case DateOnly d:
                json.WriteStringValue(d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture));
                break;
            case string[] items:
                json.WriteStartArray();
                foreach (var item in items)
                {
                    json.WriteStringValue(item);
                }

                json.WriteEndArray();
                break;
            default:
                json.WriteStringValue(Convert.ToString(value, CultureInfo.InvariantCulture));
                break;
        }
    }

    private static string CamelCase(string column)
    {
        var parts = column.Split('_', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length == 0
            ? column
            : parts[0] + string.Concat(parts.Skip(1).Select(p => char.ToUpperInvariant(p[0]) + p[1..]));
    }
}

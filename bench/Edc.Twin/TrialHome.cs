using System.Text.Json;
using Npgsql;

namespace Edc.Twin;

/// <summary>
/// The trial's home page (GET /trials/{id}?page=N) as data: what a hand-written page needs, in three statements. The
/// trial with its visit definitions (the grid's columns, each with the forms it lists); the participant-by-visit grid in
/// one statement: a page of the participants of the caller's sites by screening number (the total counted before the
/// paging), each with its protocol visits and the status of each form saved at them (a row per form saved); and the visit worklist's first
/// page, as VisitWorklist. Answered as JSON: each cell with its visit's status (the API's rule) and each listed form's
/// (NotStarted when not saved).
/// </summary>
internal static class TrialHome
{
    /// <summary>The page's sizes (the API's PageRequest.MaxPageSize, which the page asks for both lists).</summary>
    private const int PageSize = 200;

    public static async Task<IResult> GetAsync(NpgsqlDataSource db, Guid trialId, Guid[]? sites, int page, CancellationToken ct)
    {
        if (sites is null)
        {
            return Results.BadRequest();
        }

        await using var connection = await db.OpenConnectionAsync(ct);
        using var answer = new JsonAnswer();
        var json = answer.Json;
        var columns = new List<(string Code, string[] Forms)>();
        await using (var trial = Json.Command(
            connection,
            """
            SELECT t.id, t.code, t.title, t.status, d.code AS visit_code, d.name AS visit_name, d.day, d.forms
            FROM trials t LEFT JOIN visit_definitions d ON d.trial_id = t.id
            WHERE t.id = $1
            ORDER BY d.day, d.ordinal
            """,
            trialId))
        await using (var reader = await trial.ExecuteReaderAsync(ct))
        {
            if (!await reader.ReadAsync(ct))
            {
                return Results.NotFound();
            }

            json.WriteStartObject();
            json.WritePropertyName("trial");
            Json.WriteObject(json, reader, Json.NamesOf(reader), 0, 4);
            json.WriteStartArray("columns");
            do
            {
                var forms = reader.GetFieldValue<string[]>(7);
                columns.Add((reader.GetString(4), forms));
                json.WriteStartObject();
                json.WriteString("code", reader.GetString(4));
                json.WriteString("name", reader.GetString(5));
                json.WriteNumber("day", reader.GetInt32(6));
                json.WriteStartArray("forms");
                foreach (var form in forms)
                {
                    json.WriteStringValue(form);
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }
            while (await reader.ReadAsync(ct));

            json.WriteEndArray();
        }

        var total = 0;
        await using (var grid = Json.Command(
            connection,
            """
            WITH page AS (
                SELECT p.id, p.screening_number, p.site_id, p.status, count(*) OVER () AS total
                FROM participants p
                WHERE p.trial_id = $1 AND p.site_id = ANY ($2)
                ORDER BY p.screening_number
                LIMIT $3 OFFSET $4)
            SELECT page.id, page.screening_number, page.site_id, page.status, page.total::int, v.code, v.status, v.actual_date, v.window_start,
                   v.window_end, v.out_of_window, r.form_code, r.status
            FROM page
            LEFT JOIN visits v ON v.participant_id = page.id AND v.day IS NOT NULL
            LEFT JOIN form_records r ON r.visit_id = v.id AND r.participant_id = page.id
            ORDER BY page.screening_number, page.id
            """,
            trialId,
            sites,
            PageSize,
            (page - 1) * PageSize))
        await using (var reader = await grid.ExecuteReaderAsync(ct))
        {
            json.WriteStartArray("rows");
            var today = DateOnly.FromDateTime(DateTime.UtcNow);
            var more = await reader.ReadAsync(ct);
            while (more)
            {
                var (participant, status) = (reader.GetGuid(0), reader.GetString(3));
                total = reader.GetInt32(4);
                json.WriteStartObject();
                json.WriteString("participantId", participant);
                json.WriteString("screeningNumber", reader.GetString(1));
                json.WriteString("siteId", reader.GetGuid(2));
                json.WriteString("status", status);
                var visits = new Dictionary<string, Visit>(StringComparer.Ordinal);
                do
                {
                    if (reader.IsDBNull(5))
                    {
                        continue;
                    }

                    if (!visits.TryGetValue(reader.GetString(5), out var visit))
                    {
                        visits[reader.GetString(5)] = visit = new Visit(reader.GetString(6), reader.GetBoolean(10), Date(reader, 7), Date(reader, 8), Date(reader, 9), []);
                    }

                    if (!reader.IsDBNull(11))
                    {
                        visit.Forms[reader.GetString(11)] = reader.GetString(12);
                    }
                }
                while ((more = await reader.ReadAsync(ct)) && reader.GetGuid(0) == participant);

                json.WriteStartArray("cells");
                foreach (var (code, forms) in columns)
                {
                    json.WriteStartObject();
                    json.WriteString("visitCode", code);
                    if (visits.TryGetValue(code, out var visit))
                    {
                        json.WriteString("status", CellStatus(visit, status, today));
                        WriteDate(json, "actualDate", visit.ActualDate);
                        WriteDate(json, "windowStart", visit.WindowStart);
                        WriteDate(json, "windowEnd", visit.WindowEnd);
                        json.WriteStartArray("forms");
                        foreach (var form in forms)
                        {
                            json.WriteStartObject();
                            json.WriteString("formCode", form);
                            json.WriteString("status", visit.Forms.GetValueOrDefault(form, "NotStarted"));
                            json.WriteEndObject();
                        }

                        json.WriteEndArray();
                    }
                    else
                    {
                        json.WriteString("status", "NotScheduled");
                    }

                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteNumber("page", page);
        json.WriteNumber("pageSize", PageSize);
        json.WriteNumber("total", total);
        json.WritePropertyName("worklist");
        json.WriteStartObject();
        await Reads.WriteWorklistAsync(json, connection, trialId, sites, 1, PageSize, ct);
        json.WriteEndObject();
        json.WriteEndObject();
        return answer.Result();
    }

    /// <summary>A protocol visit of a row, with the status of each form saved at it (by code).</summary>
    private sealed record Visit(string Status, bool OutOfWindow, DateOnly? ActualDate, DateOnly? WindowStart, DateOnly? WindowEnd, Dictionary<string, string> Forms);

    private static DateOnly? Date(NpgsqlDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetFieldValue<DateOnly>(column);

    private static void WriteDate(Utf8JsonWriter json, string name, DateOnly? date)
    {
        if (date is { } value)
        {
            json.WriteString(name, value.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture));
        }
        else
        {
            json.WriteNull(name);
        }
    }

    /// <summary>The grid's rule (ParticipantVisitGrid): a recorded visit as recorded; an unrecorded one due or overdue only while the participant is randomized.</summary>
    private static string CellStatus(Visit visit, string participant, DateOnly today) => visit.Status switch
    {
        "Completed" => visit.OutOfWindow ? "CompletedOutOfWindow" : "Completed",
        "Missed" => "Missed",
        _ when participant != "Randomized" => "NotExpected",
        _ when visit.WindowEnd < today => "Overdue",
        _ when visit.WindowStart <= today => "Due",
        _ => "Scheduled",
    };
}

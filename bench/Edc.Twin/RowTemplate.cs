using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using Npgsql;

namespace Edc.Twin;

/// <summary>
/// A row the API wrote, to be written again by the twin with new ids: its columns (no generated or identity column), their
/// types and values. Values found in the map (ids, as uuids or text) are replaced.
/// </summary>
internal sealed record RowTemplate(string Table, string[] Columns, string[] Types, object[] Values)
{
    public object Value(string column) => Values[Array.IndexOf(Columns, column)];

    public static async Task<IReadOnlyList<RowTemplate>> ReadAsync(NpgsqlConnection connection, string table, string where, object key, CancellationToken ct)
    {
        var columns = new List<(string Name, string Type)>();
        await using (var describe = new NpgsqlCommand(
            """
            SELECT attname, format_type(atttypid, atttypmod) FROM pg_attribute
            WHERE attrelid = @table::regclass AND attnum > 0 AND NOT attisdropped AND attgenerated = '' AND attidentity = '' ORDER BY attnum
            """,
            connection))
        {
            describe.Parameters.AddWithValue("table", table);
            await using var reader = await describe.ExecuteReaderAsync(ct);
            while (await reader.ReadAsync(ct))
            {
                columns.Add((reader.GetString(0), reader.GetString(1)));
            }
        }

        // The audit chain's own columns are the trigger's to fill.
        if (table == "audit_entries")
        {
            columns.RemoveAll(c => c.Name is not ("user_id" or "user_email" or "user_roles" or "action" or "entity_type" or "entity_id" or "trial_id" or "site_id" or "field" or "old_value" or "new_value" or "reason"));
        }

        var rows = new List<RowTemplate>();
        await using var select = new NpgsqlCommand($"SELECT {string.Join(", ", columns.Select(c => c.Name))} FROM {table} WHERE {where}", connection);
        select.Parameters.AddWithValue("key", key);
        await using (var reader = await select.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                var values = new object[columns.Count];
                reader.GetValues(values);
                rows.Add(new RowTemplate(table, [.. columns.Select(c => c.Name)], [.. columns.Select(c => c.Type)], values));
            }
        }

        return rows.Count > 0 ? rows : throw new InvalidOperationException($"No template row in {table} where {where} ({key})");
    }

    private static readonly ConcurrentDictionary<IReadOnlyList<RowTemplate>, string> InsertSql = new(ReferenceEqualityComparer.Instance);

    /// <summary>All rows as one multi-row INSERT (its text built once per template), the map's values in place of the template's.</summary>
    public static NpgsqlBatchCommand InsertAll(IReadOnlyList<RowTemplate> rows, IReadOnlyDictionary<object, object> map)
    {
        var command = new NpgsqlBatchCommand(InsertSql.GetOrAdd(rows, static rows =>
        {
            var columns = rows[0].Columns;
            var text = new StringBuilder($"INSERT INTO {rows[0].Table} ({string.Join(", ", columns)}) VALUES ");
            for (var r = 0; r < rows.Count; r++)
            {
                text.Append(r == 0 ? "(" : ", (");
                text.AppendJoin(", ", columns.Select((_, i) => $"${r * columns.Length + i + 1}::{rows[r].Types[i]}"));
                text.Append(')');
            }

            return text.ToString();
        }));
        foreach (var row in rows)
        {
            foreach (var value in row.Values)
            {
                command.Parameters.Add(new NpgsqlParameter { Value = map.TryGetValue(value, out var mapped) ? mapped : value });
            }
        }

        return command;
    }

    /// <summary>Template value to new value, for each key both as itself and as text (audit rows hold ids as text).</summary>
    public static Dictionary<object, object> Map(params (object From, object To)[] pairs)
    {
        var map = new Dictionary<object, object>();
        foreach (var (from, to) in pairs)
        {
            map[from] = to;
            map[Convert.ToString(from, CultureInfo.InvariantCulture)!] = Convert.ToString(to, CultureInfo.InvariantCulture)!;
        }

        return map;
    }
}

internal enum Template
{
    AdverseEvent,
    Mrss,
    Randomization,
    FormSave,
    FormEdit,
}

/// <summary>What a write copies: the main rows, second rows (an event's first version) and the audit rows the API wrote.</summary>
internal sealed record WriteTemplate(IReadOnlyList<RowTemplate> Main, IReadOnlyList<RowTemplate> Second, IReadOnlyList<RowTemplate> Audit);

/// <summary>
/// The writes' templates, read once from what the API wrote for the same request: the X-Twin-Template header names the
/// adverse event, the MRSS assessment, the randomized participant or the form record (the suite's warm-up loads them, not its
/// timed run). A form's first save and its edit name the same kind of row: the audit rows of its insert, or of its update.
/// </summary>
internal sealed class Templates(NpgsqlDataSource dataSource)
{
    private readonly ConcurrentDictionary<(Template, Guid), Lazy<Task<WriteTemplate>>> _cache = new();

    public async Task<WriteTemplate> GetAsync(Template kind, HttpRequest request, CancellationToken ct)
    {
        var key = Guid.Parse(request.Headers["X-Twin-Template"].ToString());
        var entry = _cache.GetOrAdd((kind, key), k => new Lazy<Task<WriteTemplate>>(() => ReadAsync(k.Item1, k.Item2, CancellationToken.None)));
        try
        {
            return await entry.Value.WaitAsync(ct);
        }
        catch (Exception e) when (e is InvalidOperationException or NpgsqlException)
        {
            _cache.TryRemove((kind, key), out _);
            throw;
        }
    }

    private async Task<WriteTemplate> ReadAsync(Template kind, Guid key, CancellationToken ct)
    {
        await using var connection = await dataSource.OpenConnectionAsync(ct);
        switch (kind)
        {
            case Template.AdverseEvent:
                var versions = await RowTemplate.ReadAsync(connection, "adverse_event_versions", "adverse_event_id = @key", key, ct);
                return new WriteTemplate(
                    await RowTemplate.ReadAsync(connection, "adverse_events", "id = @key", key, ct),
                    versions,
                    await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = ANY (@key) ORDER BY seq", new[] { key.ToString(), versions[0].Value("id").ToString() }, ct));
            case Template.Mrss:
                return new WriteTemplate(
                    await RowTemplate.ReadAsync(connection, "mrss_assessments", "id = @key", key, ct),
                    [],
                    await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = @key ORDER BY seq", key.ToString(), ct));
            case Template.FormSave or Template.FormEdit:
                return new WriteTemplate(
                    await RowTemplate.ReadAsync(connection, "form_records", "id = @key", key, ct),
                    [],
                    await RowTemplate.ReadAsync(connection, "audit_entries", $"entity_id = @key AND action = '{(kind == Template.FormSave ? "Insert" : "Update")}' ORDER BY seq", key.ToString(), ct));
            default:
                var slot = await RowTemplate.ReadAsync(connection, "randomization_slots", "participant_id = @key", key, ct);
                return new WriteTemplate(
                    slot,
                    await RowTemplate.ReadAsync(connection, "participants", "id = @key", key, ct),
                    await RowTemplate.ReadAsync(connection, "audit_entries", "entity_id = ANY (@key) AND action = 'Update' ORDER BY seq", new[] { key.ToString(), slot[0].Value("id").ToString() }, ct));
        }
    }
}

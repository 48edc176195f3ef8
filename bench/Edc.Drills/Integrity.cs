using Npgsql;

namespace Edc.Drills;

/// <summary>
/// Whole-entity checks on one trial, in SQL: each counts rows that are half-written or inconsistent, so every count
/// must be 0. Shared by the outage and the connection-kill drills.
/// </summary>
internal static class Integrity
{
    private static readonly (string Name, string Sql)[] Checks =
    [
        ("participants without their Insert audit rows",
            """
            SELECT count(*) FROM participants p WHERE p.trial_id = @trial AND NOT EXISTS (
              SELECT 1 FROM audit_entries a WHERE a.entity_type = 'Participant' AND a.entity_id = p.id::text AND a.action = 'Insert')
            """),
        ("enrolled or randomized participants without enrollment data or its audit row",
            """
            SELECT count(*) FROM participants p WHERE p.trial_id = @trial AND p.status IN ('Enrolled', 'Randomized')
              AND (p.enrolled_at IS NULL OR p.stratum_key IS NULL OR NOT EXISTS (
                SELECT 1 FROM audit_entries a WHERE a.entity_type = 'Participant' AND a.entity_id = p.id::text
                  AND a.field = 'Status' AND a.new_value = 'Enrolled'))
            """),
        ("randomized participants without exactly one slot, its number, its audit rows or its 2 scheduled visits",
            """
            SELECT count(*) FROM participants p WHERE p.trial_id = @trial AND p.status = 'Randomized'
              AND ((SELECT count(*) FROM randomization_slots s WHERE s.participant_id = p.id) <> 1
                OR p.randomization_number IS NULL OR p.randomized_at IS NULL
                OR NOT EXISTS (SELECT 1 FROM randomization_slots s WHERE s.participant_id = p.id
                                 AND s.randomization_number = p.randomization_number AND s.kit_number = p.kit_number
                                 AND s.stratum_key = p.stratum_key)
                OR NOT EXISTS (SELECT 1 FROM audit_entries a WHERE a.entity_type = 'Participant' AND a.entity_id = p.id::text
                                 AND a.field = 'Status' AND a.new_value = 'Randomized')
                OR NOT EXISTS (SELECT 1 FROM randomization_slots s JOIN audit_entries a ON a.entity_type = 'RandomizationSlot'
                                 AND a.entity_id = s.id::text AND a.field = 'ParticipantId' WHERE s.participant_id = p.id)
                OR (SELECT count(*) FROM visits v WHERE v.participant_id = p.id AND v.day IS NOT NULL) <> 2)
            """),
        ("orphan allocations: slots allocated to a participant who is not randomized (or to none, with a time)",
            """
            SELECT count(*) FROM randomization_slots s LEFT JOIN participants p ON p.id = s.participant_id
            WHERE s.trial_id = @trial AND ((s.participant_id IS NOT NULL AND (p.status IS DISTINCT FROM 'Randomized' AND p.status NOT IN ('Withdrawn', 'Completed')))
                                         OR (s.participant_id IS NULL AND s.allocated_at IS NOT NULL))
            """),
        ("participants holding more than one slot",
            "SELECT count(*) FROM (SELECT participant_id FROM randomization_slots WHERE trial_id = @trial AND participant_id IS NOT NULL GROUP BY participant_id HAVING count(*) > 1) d"),
        ("scheduled visits of participants never randomized",
            """
            SELECT count(*) FROM visits v JOIN participants p ON p.id = v.participant_id
            WHERE v.trial_id = @trial AND p.randomized_at IS NULL
            """),
        ("free slots before the last allocated one of their stratum (gaps)",
            """
            SELECT count(*) FROM randomization_slots f WHERE f.trial_id = @trial AND f.participant_id IS NULL
              AND f.sequence < (SELECT max(a.sequence) FROM randomization_slots a
                                WHERE a.trial_id = @trial AND a.stratum_key = f.stratum_key AND a.participant_id IS NOT NULL)
            """),
        ("MRSS assessments without their Insert audit rows or of a participant not randomized",
            """
            SELECT count(*) FROM mrss_assessments m JOIN participants p ON p.id = m.participant_id WHERE m.trial_id = @trial
              AND (p.randomized_at IS NULL OR NOT EXISTS (
                SELECT 1 FROM audit_entries a WHERE a.entity_type = 'MrssAssessment' AND a.entity_id = m.id::text AND a.action = 'Insert'))
            """),
    ];

    public static async Task<List<(string Name, long Count)>> CheckAsync(string connectionString, Guid trialId, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        var results = new List<(string, long)>();
        foreach (var (name, sql) in Checks)
        {
            await using var command = new NpgsqlCommand(sql, connection);
            command.Parameters.AddWithValue("trial", trialId);
            results.Add((name, (long)(await command.ExecuteScalarAsync(ct))!));
        }

        return results;
    }

    /// <summary>The audit chain as the API verifies it: (intact, the answer's text).</summary>
    public static async Task<(bool Intact, string Text)> VerifyAuditChainAsync(Uri baseAddress, string adminToken, CancellationToken ct)
    {
        using var admin = Http.Client(baseAddress, adminToken);
        var answer = await Http.GetAsync(admin, "/api/audit/verification", ct);
        if (!answer.Ok)
        {
            return (false, $"{answer.Status}: {Http.Truncate(answer.Body)}");
        }

        var json = answer.Json();
        var intact = json.TryGetProperty("intact", out var value) && value.ValueKind == System.Text.Json.JsonValueKind.True;
        return (intact, Http.Truncate(answer.Body, 200));
    }

    public static async Task<long> ScalarAsync(string connectionString, string sql, CancellationToken ct, params (string Name, object Value)[] parameters) =>
        Convert.ToInt64((await ColumnAsync<object>(connectionString, sql, ct, parameters)).FirstOrDefault(), System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The first column of every row the query answers.</summary>
    public static async Task<List<T>> ColumnAsync<T>(string connectionString, string sql, CancellationToken ct, params (string Name, object Value)[] parameters)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        var values = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(ct);
        while (await reader.ReadAsync(ct))
        {
            values.Add(reader.GetFieldValue<T>(0));
        }

        return values;
    }
}

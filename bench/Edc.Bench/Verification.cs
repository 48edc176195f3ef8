using Npgsql;

namespace Edc.Bench;

internal sealed record VerificationResult(bool Ok, string Summary);

/// <summary>After a run: every participant randomized once, each slot used once, in list order with no gap.</summary>
internal static class Verification
{
    public static async Task<VerificationResult> CheckAsync(string connectionString, BenchTrial trial, int expected, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            SELECT
                (SELECT count(*) FROM participants WHERE trial_id = @trial AND status = 'Randomized'),
                (SELECT count(DISTINCT randomization_number) FROM participants WHERE trial_id = @trial),
                (SELECT count(DISTINCT kit_number) FROM participants WHERE trial_id = @trial),
                (SELECT count(*) FROM randomization_slots WHERE trial_id = @trial AND participant_id IS NOT NULL),
                (SELECT count(DISTINCT participant_id) FROM randomization_slots WHERE trial_id = @trial),
                (SELECT count(*) FROM randomization_slots f
                 WHERE f.trial_id = @trial AND f.participant_id IS NULL
                   AND f.sequence < (SELECT max(a.sequence) FROM randomization_slots a
                                     WHERE a.trial_id = @trial AND a.stratum_key = f.stratum_key AND a.participant_id IS NOT NULL)),
                (SELECT count(*) FROM randomization_slots s JOIN participants p ON p.id = s.participant_id
                 WHERE s.trial_id = @trial
                   AND (p.trial_id <> s.trial_id OR p.randomization_number IS DISTINCT FROM s.randomization_number
                        OR p.kit_number IS DISTINCT FROM s.kit_number OR p.randomized_at IS NULL))
            """,
            connection);
        command.Parameters.AddWithValue("trial", trial.Id);
        await using var reader = await command.ExecuteReaderAsync(ct);
        await reader.ReadAsync(ct);
        var (randomized, numbers, kits, allocated, allocatedTo, gaps, mismatched) = (
            reader.GetInt64(0), reader.GetInt64(1), reader.GetInt64(2), reader.GetInt64(3), reader.GetInt64(4), reader.GetInt64(5), reader.GetInt64(6));
        var ok = new[] { randomized, numbers, kits, allocated, allocatedTo }.All(n => n == expected) && gaps == 0 && mismatched == 0;
        return new VerificationResult(
            ok,
            $"{(ok ? "OK" : "FAILED")}: {randomized}/{expected} randomized, {numbers} distinct randomization numbers, {kits} distinct kits, " +
            $"{allocated} slots allocated to {allocatedTo} participants, {gaps} free slots before the last allocated one, {mismatched} slot/participant mismatches");
    }

    public static async Task<string> PostgresVersionAsync(string connectionString, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand("SHOW server_version", connection);
        return (string)(await command.ExecuteScalarAsync(ct))!;
    }
}

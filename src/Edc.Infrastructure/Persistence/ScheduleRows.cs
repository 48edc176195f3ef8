using Edc.Domain.Visits;
using Edc.Infrastructure.Auditing;
using Npgsql;
using NpgsqlTypes;

namespace Edc.Infrastructure.Persistence;

/// <summary>
/// A protocol schedule written as one multi-row INSERT rather than one statement per visit. Its visits are derived
/// rows (from the trial's visit definitions and the audited randomization date), not audited field by field on insert
/// (<see cref="AuditInterceptor"/>), so writing them beside the context changes nothing in the trail.
/// </summary>
public static class ScheduleRows
{
    // Each visit's procedures are the slice procedures[first:last] of one flat array (empty when last < first): unnest
    // cannot carry an array per row.
    private const string InsertSql = """
        INSERT INTO visits (id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end,
                            procedures, status, actual_date, missed_reason, out_of_window, version)
        SELECT r.id, r.trial_id, r.site_id, r.participant_id, r.code, r.name, r.day, r.target_date, r.window_start, r.window_end,
               @procedures[r.first_procedure:r.last_procedure], r.status, r.actual_date, r.missed_reason, r.out_of_window, r.version
        FROM unnest(@id, @trial_id, @site_id, @participant_id, @code, @name, @day, @target_date, @window_start, @window_end,
                    @first_procedure, @last_procedure, @status, @actual_date, @missed_reason, @out_of_window, @version)
             AS r(id, trial_id, site_id, participant_id, code, name, day, target_date, window_start, window_end,
                  first_procedure, last_procedure, status, actual_date, missed_reason, out_of_window, version)
        """;

    /// <summary>
    /// Inserts a participant's protocol schedule (<see cref="ScheduledVisit.ScheduleFor"/>) with the COMMIT of the
    /// change under way, in the same batch, before its audit rows: no round trip of its own. The context does not track
    /// the visits.
    /// </summary>
    public static void InsertWithCommit(EdcDbContext db, IReadOnlyList<ScheduledVisit> schedule)
    {
        var transaction = db.AuditedTransaction ?? throw new InvalidOperationException("A schedule is inserted inside an audited transaction.");
        if (schedule.Any(v => v.Day is null))
        {
            throw new InvalidOperationException("Only visits of the protocol schedule are derived rows; an unscheduled visit is saved through the context.");
        }

        if (schedule.Count > 0)
        {
            transaction.SendWithCommit(Command(schedule));
        }
    }

    private static NpgsqlBatchCommand Command(IReadOnlyList<ScheduledVisit> visits)
    {
        var (first, last, next) = (new int[visits.Count], new int[visits.Count], 1);
        for (var i = 0; i < visits.Count; i++)
        {
            first[i] = next;
            next += visits[i].Procedures.Count;
            last[i] = next - 1;
        }

        return new NpgsqlBatchCommand(InsertSql)
        {
            Parameters =
            {
                Values("id", NpgsqlDbType.Uuid, visits.Select(v => v.Id)),
                Values("trial_id", NpgsqlDbType.Uuid, visits.Select(v => v.TrialId)),
                Values("site_id", NpgsqlDbType.Uuid, visits.Select(v => v.SiteId)),
                Values("participant_id", NpgsqlDbType.Uuid, visits.Select(v => v.ParticipantId)),
                Values("code", NpgsqlDbType.Text, visits.Select(v => v.Code)),
                Values("name", NpgsqlDbType.Text, visits.Select(v => v.Name)),
                Values("day", NpgsqlDbType.Integer, visits.Select(v => v.Day)),
                Values("target_date", NpgsqlDbType.Date, visits.Select(v => v.TargetDate)),
                Values("window_start", NpgsqlDbType.Date, visits.Select(v => v.WindowStart)),
                Values("window_end", NpgsqlDbType.Date, visits.Select(v => v.WindowEnd)),
                Values("first_procedure", NpgsqlDbType.Integer, first),
                Values("last_procedure", NpgsqlDbType.Integer, last),
                Values("procedures", NpgsqlDbType.Text, visits.SelectMany(v => v.Procedures)),
                Values("status", NpgsqlDbType.Text, visits.Select(v => v.Status.ToString())),
                Values("actual_date", NpgsqlDbType.Date, visits.Select(v => v.ActualDate)),
                Values("missed_reason", NpgsqlDbType.Text, visits.Select(v => v.MissedReason)),
                Values("out_of_window", NpgsqlDbType.Boolean, visits.Select(v => v.OutOfWindow)),
                Values("version", NpgsqlDbType.Integer, visits.Select(v => v.Version)),
            },
        };
    }

    private static NpgsqlParameter Values<T>(string name, NpgsqlDbType type, IEnumerable<T> values) =>
        new(name, NpgsqlDbType.Array | type) { Value = values.ToArray() };
}

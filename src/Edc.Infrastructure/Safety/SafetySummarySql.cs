using System.Data;
using System.Data.Common;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Infrastructure.Safety;

/// <summary>
/// Computes a data safety board summary in one set-based statement: no participant, event or assessment row leaves
/// the database, only the aggregates (one JSON document). Randomized participants are put in their masked group by
/// joining their slot's arm to the list's group key inside the statement; the result names groups by label ("Group A")
/// and never an arm. Run it in a REPEATABLE READ transaction: every part of the summary then sees one snapshot, whose
/// time is the transaction's timestamp, <c>now()</c>, reported as the data cut-off.
/// <para>
/// Definitions (documented in the README): the safety population is the randomized participants, "Pooled" is all of
/// them, so the groups add up to it; screening counts cover every registered participant. A withdrawal is due to an
/// adverse event when the withdrawn participant has an event whose action taken is DrugWithdrawn with an onset on or
/// before the withdrawal date. An event is related when possibly, probably or definitely related; fatal when grade 5
/// or its outcome is Fatal. MRSS statistics cover scheduled visits (unscheduled ones have no study day).
/// </para>
/// </summary>
public static class SafetySummarySql
{
    public const int SchemaVersion = 1;

    /// <summary>Run first in the generating transaction (SET LOCAL: it ends with the transaction).</summary>
    public const string SessionSettings = "SET LOCAL work_mem = '64MB'";

    public static async Task<SafetySnapshot> ComputeAsync(EdcDbContext db, Guid trialId, CancellationToken cancellationToken)
    {
        var transaction = db.Database.CurrentTransaction
            ?? throw new InvalidOperationException("Compute a safety summary inside a transaction, so that it reads one snapshot.");
        if (transaction.GetDbTransaction().IsolationLevel is not (IsolationLevel.RepeatableRead or IsolationLevel.Serializable))
        {
            throw new InvalidOperationException("A safety summary needs a REPEATABLE READ (or SERIALIZABLE) transaction.");
        }

        var connection = db.Database.GetDbConnection();
        await using (var settings = connection.CreateCommand())
        {
            // The percentiles, distinct counts and grouping sets sort: let a large trial's sorts stay in memory
            // (for this transaction only) rather than spill to disk.
            settings.Transaction = transaction.GetDbTransaction();
            settings.CommandText = SessionSettings;
            await settings.ExecuteNonQueryAsync(cancellationToken);
        }

        await using var command = connection.CreateCommand();
        command.Transaction = transaction.GetDbTransaction();
        command.CommandText = Statement;
        command.CommandTimeout = 600;
        var parameter = command.CreateParameter();
        parameter.ParameterName = "trial_id";
        parameter.Value = trialId;
        command.Parameters.Add(parameter);
        await using DbDataReader reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        return new SafetySnapshot(reader.GetFieldValue<DateTimeOffset>(0), reader.GetString(1));
    }

    /// <summary>
    /// One statement. Every CTE reads one trial's rows through a trial index; participant-level facts are aggregated
    /// once (<c>pp</c>), and every figure by group is a GROUPING SETS aggregate whose empty set is the pooled column.
    /// </summary>
    public const string Statement = """
        WITH
        group_key AS (
            SELECT k.key AS label, k.value AS arm_code
            FROM randomization_lists l
            CROSS JOIN LATERAL jsonb_each_text(l.group_key) AS k(key, value)
            WHERE l.trial_id = @trial_id
        ),
        cols AS (
            SELECT 'Pooled'::text AS col, 0::bigint AS ord
            UNION ALL
            SELECT label, row_number() OVER (ORDER BY label) FROM group_key
        ),
        grp AS MATERIALIZED (
            SELECT s.participant_id, gk.label
            FROM randomization_slots s
            JOIN group_key gk ON gk.arm_code = s.arm_code
            WHERE s.trial_id = @trial_id AND s.participant_id IS NOT NULL
        ),
        ae AS MATERIALIZED (
            SELECT a.participant_id, g.label, btrim(a.term) AS term, lower(btrim(a.term)) AS term_key, a.grade, a.serious,
                   a.relatedness IN ('Possible', 'Probable', 'Definite') AS related, a.susar,
                   (a.grade = 5 OR a.outcome = 'Fatal') AS fatal, a.action_taken, a.onset_date,
                   a.sponsor_clock_started_at, a.sponsor_due_at, a.sponsor_report_sent_at,
                   a.regulator_clock_started_at, a.regulator_due_at, a.regulator_report_sent_at
            FROM adverse_events a
            JOIN grp g ON g.participant_id = a.participant_id
            WHERE a.trial_id = @trial_id
        ),
        pp AS MATERIALIZED (
            SELECT p.id, g.label,
                   p.withdrawn_on IS NOT NULL AS withdrawn,
                   (p.status = 'Completed' OR p.status_before_death = 'Completed') AS completed,
                   p.died_on IS NOT NULL AS died,
                   x.max_grade,
                   x.participant_id IS NOT NULL AS any_ae,
                   coalesce(x.any_serious, false) AS any_sae,
                   p.withdrawn_on IS NOT NULL AND coalesce(x.first_drug_withdrawn_onset <= p.withdrawn_on, false) AS withdrawn_due_to_ae
            FROM participants p
            JOIN grp g ON g.participant_id = p.id
            LEFT JOIN (
                SELECT participant_id, max(grade) AS max_grade, bool_or(serious) AS any_serious,
                       min(onset_date) FILTER (WHERE action_taken = 'DrugWithdrawn') AS first_drug_withdrawn_onset
                FROM ae
                GROUP BY participant_id
            ) x ON x.participant_id = p.id
            WHERE p.trial_id = @trial_id
        ),
        participant_counts AS (
            SELECT CASE WHEN GROUPING(label) = 1 THEN 'Pooled' ELSE label END AS col,
                   count(*) AS randomized,
                   count(*) FILTER (WHERE withdrawn) AS withdrawn,
                   count(*) FILTER (WHERE completed) AS completed,
                   count(*) FILTER (WHERE died) AS deaths,
                   count(*) FILTER (WHERE withdrawn_due_to_ae) AS withdrawn_due_to_ae,
                   count(*) FILTER (WHERE any_ae) AS with_ae,
                   count(*) FILTER (WHERE any_sae) AS with_sae
            FROM pp
            GROUP BY GROUPING SETS ((label), ())
        ),
        infusion_counts AS (
            SELECT CASE WHEN GROUPING(g.label) = 1 THEN 'Pooled' ELSE g.label END AS col, count(*) AS given
            FROM infusions i
            JOIN grp g ON g.participant_id = i.participant_id
            WHERE i.trial_id = @trial_id AND i.administered_at IS NOT NULL
            GROUP BY GROUPING SETS ((g.label), ())
        ),
        event_counts AS (
            SELECT CASE WHEN GROUPING(label) = 1 THEN 'Pooled' ELSE label END AS col,
                   count(*) AS events,
                   count(*) FILTER (WHERE serious) AS serious,
                   count(*) FILTER (WHERE related) AS related,
                   count(*) FILTER (WHERE susar) AS susars,
                   count(*) FILTER (WHERE fatal) AS fatal,
                   count(*) FILTER (WHERE sponsor_due_at IS NOT NULL) AS sponsor_required,
                   count(*) FILTER (WHERE sponsor_report_sent_at <= sponsor_due_at) AS sponsor_on_time,
                   count(*) FILTER (WHERE sponsor_report_sent_at > sponsor_due_at) AS sponsor_late,
                   count(*) FILTER (WHERE sponsor_due_at IS NOT NULL AND sponsor_report_sent_at IS NULL AND sponsor_due_at < now()) AS sponsor_overdue,
                   count(*) FILTER (WHERE sponsor_due_at IS NOT NULL AND sponsor_report_sent_at IS NULL AND sponsor_due_at >= now()) AS sponsor_pending,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM sponsor_report_sent_at - sponsor_clock_started_at) / 3600.0)
                       FILTER (WHERE sponsor_due_at IS NOT NULL AND sponsor_report_sent_at IS NOT NULL) AS sponsor_median_hours,
                   count(*) FILTER (WHERE regulator_due_at IS NOT NULL) AS regulator_required,
                   count(*) FILTER (WHERE regulator_report_sent_at <= regulator_due_at) AS regulator_on_time,
                   count(*) FILTER (WHERE regulator_report_sent_at > regulator_due_at) AS regulator_late,
                   count(*) FILTER (WHERE regulator_due_at IS NOT NULL AND regulator_report_sent_at IS NULL AND regulator_due_at < now()) AS regulator_overdue,
                   count(*) FILTER (WHERE regulator_due_at IS NOT NULL AND regulator_report_sent_at IS NULL AND regulator_due_at >= now()) AS regulator_pending,
                   percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM regulator_report_sent_at - regulator_clock_started_at) / 3600.0)
                       FILTER (WHERE regulator_due_at IS NOT NULL AND regulator_report_sent_at IS NOT NULL) AS regulator_median_hours
            FROM ae
            GROUP BY GROUPING SETS ((label), ())
        ),
        term_counts AS (
            SELECT term_key, CASE WHEN GROUPING(label) = 1 THEN 'Pooled' ELSE label END AS col,
                   min(term COLLATE "C") AS term, count(*) AS events, count(DISTINCT participant_id) AS participants
            FROM ae
            GROUP BY GROUPING SETS ((term_key, label), (term_key))
        ),
        grade_counts AS (
            SELECT max_grade AS grade, CASE WHEN GROUPING(label) = 1 THEN 'Pooled' ELSE label END AS col, count(*) AS participants
            FROM pp
            WHERE max_grade IS NOT NULL
            GROUP BY GROUPING SETS ((max_grade, label), (max_grade))
        ),
        mrss_stats AS (
            SELECT v.code, v.day, CASE WHEN GROUPING(g.label) = 1 THEN 'Pooled' ELSE g.label END AS col,
                   min(v.name) AS name, count(*) AS n,
                   percentile_cont(ARRAY[0.25, 0.5, 0.75]::double precision[]) WITHIN GROUP (ORDER BY m.total) AS q
            FROM mrss_assessments m
            JOIN visits v ON v.id = m.visit_id
            JOIN grp g ON g.participant_id = m.participant_id
            WHERE m.trial_id = @trial_id AND v.day IS NOT NULL
            GROUP BY GROUPING SETS ((v.code, v.day, g.label), (v.code, v.day))
        ),
        term_cells AS (
            SELECT k.term_key, k.term, k.participants AS pooled_participants, c.ord,
                   jsonb_build_object('column', c.col, 'events', coalesce(tc.events, 0), 'participants', coalesce(tc.participants, 0)) AS cell
            FROM term_counts k
            CROSS JOIN cols c
            LEFT JOIN term_counts tc ON tc.term_key = k.term_key AND tc.col = c.col
            WHERE k.col = 'Pooled'
        ),
        sae_days AS (
            SELECT label AS col, onset_date, count(*) AS events, count(*) FILTER (WHERE fatal) AS fatal
            FROM ae
            WHERE serious
            GROUP BY label, onset_date
        ),
        screening AS (
            SELECT count(*) AS registered,
                   count(*) FILTER (WHERE status = 'ScreenFailed') AS screen_failed,
                   count(*) FILTER (WHERE enrolled_at IS NOT NULL) AS enrolled,
                   count(*) FILTER (WHERE randomized_at IS NOT NULL) AS randomized,
                   count(*) FILTER (WHERE enrolled_at IS NOT NULL AND randomized_at IS NULL AND withdrawn_on IS NULL AND died_on IS NULL) AS awaiting_randomization,
                   count(*) FILTER (WHERE randomized_at IS NULL AND withdrawn_on IS NOT NULL) AS withdrawn_before_randomization
            FROM participants
            WHERE trial_id = @trial_id
        ),
        unrandomized_events AS (
            SELECT count(*) AS events
            FROM adverse_events a
            WHERE a.trial_id = @trial_id AND NOT EXISTS (SELECT 1 FROM grp WHERE grp.participant_id = a.participant_id)
        )
        SELECT now() AS data_cutoff, jsonb_build_object(
            'schemaVersion', 1,
            'columns', (SELECT jsonb_agg(col ORDER BY ord) FROM cols),
            'screening', (
                SELECT jsonb_build_object(
                    'registered', s.registered, 'screenFailed', s.screen_failed, 'enrolled', s.enrolled, 'randomized', s.randomized,
                    'awaitingRandomization', s.awaiting_randomization, 'withdrawnBeforeRandomization', s.withdrawn_before_randomization,
                    'adverseEventsBeforeRandomization', u.events)
                FROM screening s, unrandomized_events u),
            'participants', (
                SELECT jsonb_agg(jsonb_build_object(
                    'column', c.col, 'randomized', coalesce(p.randomized, 0), 'withdrawn', coalesce(p.withdrawn, 0),
                    'completed', coalesce(p.completed, 0), 'deaths', coalesce(p.deaths, 0),
                    'withdrawnDueToAdverseEvent', coalesce(p.withdrawn_due_to_ae, 0), 'infusionsGiven', coalesce(i.given, 0),
                    'withAdverseEvent', coalesce(p.with_ae, 0), 'withSeriousAdverseEvent', coalesce(p.with_sae, 0)) ORDER BY c.ord)
                FROM cols c
                LEFT JOIN participant_counts p ON p.col = c.col
                LEFT JOIN infusion_counts i ON i.col = c.col),
            'adverseEvents', (
                SELECT jsonb_agg(jsonb_build_object(
                    'column', c.col, 'events', coalesce(e.events, 0), 'serious', coalesce(e.serious, 0), 'related', coalesce(e.related, 0),
                    'susars', coalesce(e.susars, 0), 'fatal', coalesce(e.fatal, 0)) ORDER BY c.ord)
                FROM cols c
                LEFT JOIN event_counts e ON e.col = c.col),
            'seriousEventReporting', (
                SELECT jsonb_agg(jsonb_build_object(
                    'column', c.col,
                    'sponsor', jsonb_build_object(
                        'required', coalesce(e.sponsor_required, 0), 'onTime', coalesce(e.sponsor_on_time, 0), 'late', coalesce(e.sponsor_late, 0),
                        'overdue', coalesce(e.sponsor_overdue, 0), 'pending', coalesce(e.sponsor_pending, 0),
                        'medianHoursToReport', round(e.sponsor_median_hours::numeric, 1)),
                    'regulator', jsonb_build_object(
                        'required', coalesce(e.regulator_required, 0), 'onTime', coalesce(e.regulator_on_time, 0), 'late', coalesce(e.regulator_late, 0),
                        'overdue', coalesce(e.regulator_overdue, 0), 'pending', coalesce(e.regulator_pending, 0),
                        'medianHoursToReport', round(e.regulator_median_hours::numeric, 1))) ORDER BY c.ord)
                FROM cols c
                LEFT JOIN event_counts e ON e.col = c.col),
            'adverseEventsByTerm', coalesce((
                SELECT jsonb_agg(jsonb_build_object('term', t.term, 'counts', t.counts) ORDER BY t.pooled_participants DESC, t.term_key)
                FROM (
                    SELECT term_key, term, pooled_participants, jsonb_agg(cell ORDER BY ord) AS counts
                    FROM term_cells
                    GROUP BY term_key, term, pooled_participants
                ) t), '[]'::jsonb),
            'maximumGrade', (
                SELECT jsonb_agg(jsonb_build_object('grade', gr.grade, 'counts', (
                    SELECT jsonb_agg(jsonb_build_object('column', c.col, 'participants', coalesce(gc.participants, 0)) ORDER BY c.ord)
                    FROM cols c
                    LEFT JOIN grade_counts gc ON gc.grade = gr.grade AND gc.col = c.col)) ORDER BY gr.grade)
                FROM generate_series(1, 5) AS gr(grade)),
            'mrssByVisit', coalesce((
                SELECT jsonb_agg(jsonb_build_object('visitCode', v.code, 'visitName', v.name, 'day', v.day, 'counts', (
                    SELECT jsonb_agg(jsonb_build_object(
                        'column', c.col, 'n', coalesce(ms.n, 0), 'q1', ms.q[1], 'median', ms.q[2], 'q3', ms.q[3]) ORDER BY c.ord)
                    FROM cols c
                    LEFT JOIN mrss_stats ms ON ms.code = v.code AND ms.col = c.col)) ORDER BY v.day, v.code)
                FROM mrss_stats v
                WHERE v.col = 'Pooled'), '[]'::jsonb),
            'seriousEventTimeline', coalesce((
                SELECT jsonb_agg(jsonb_build_object('column', d.col, 'onsetDate', d.onset_date, 'events', d.events, 'fatal', d.fatal)
                    ORDER BY d.onset_date, d.col)
                FROM sae_days d), '[]'::jsonb)
        )::text AS content
        """;
}

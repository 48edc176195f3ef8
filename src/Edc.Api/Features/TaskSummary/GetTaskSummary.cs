using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.TaskSummary;

public static class GetTaskSummary
{
    /// <param name="SiteId">One site only; null for every site the caller may see.</param>
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, Guid? SiteId) : IRequest<TaskSummaryView>;

    /// <summary>
    /// Counts what is left to do per participant in one set-based statement, then sums it per site. A form is due at a
    /// completed visit, or once started; the forms a visit collects are its definition's (an unscheduled visit's are the
    /// built-in forms of its procedures, as the form catalog says).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, TimeProvider clock) : IRequestHandler<Query, TaskSummaryView>
    {
        public async Task<TaskSummaryView> Handle(Query query, CancellationToken cancellationToken)
        {
            var sites = await visible.Sites.Where(s => s.TrialId == query.TrialId && (query.SiteId == null || s.Id == query.SiteId))
                .OrderBy(s => s.Code)
                .Select(s => new { s.Id, s.Code, s.Name })
                .ToListAsync(cancellationToken);
            if (sites.Count == 0)
            {
                // No site of the caller's in the trial (404 for the trial), or the site asked for is not one of them.
                await visible.RequireTrialAsync(query.TrialId, cancellationToken);
                if (query.SiteId is not null)
                {
                    throw new NotFoundException("The site");
                }
            }

            var today = DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime);
            var siteIds = sites.Select(s => s.Id).ToArray();
            var rows = await db.Database.SqlQuery<Row>(Sql(query.TrialId, siteIds, today)).ToListAsync(cancellationToken);
            var bySite = rows.ToLookup(r => r.SiteId);
            var siteTasks = sites.Select(s =>
                {
                    var participants = bySite[s.Id].Select(r => new ParticipantTasks(r.ParticipantId, r.ScreeningNumber, r.Counts())).ToList();
                    return new SiteTasks(s.Id, s.Code, s.Name, participants.Aggregate(TaskCounts.None, (sum, p) => sum.Plus(p.Tasks)), participants);
                })
                .ToList();
            return new TaskSummaryView(query.TrialId, today, siteTasks.Aggregate(TaskCounts.None, (sum, s) => sum.Plus(s.Tasks)), siteTasks);
        }

        private static FormattableString Sql(Guid trialId, Guid[] siteIds, DateOnly today) => $"""
            WITH p AS (
                SELECT id, site_id, screening_number, status FROM participants
                WHERE trial_id = {trialId} AND site_id = ANY ({siteIds})),
            v AS (
                SELECT v.id, v.participant_id, v.code, v.status, v.day, v.window_end,
                       CASE WHEN v.day IS NULL THEN array_remove(ARRAY[
                                CASE WHEN 'mrss' = ANY (SELECT lower(x) FROM unnest(v.procedures) x) THEN 'MRSS' END,
                                CASE WHEN 'infusion' = ANY (SELECT lower(x) FROM unnest(v.procedures) x) THEN 'INFUSION' END], NULL)
                            ELSE coalesce(d.forms, ARRAY[]::text[]) END AS forms
                FROM visits v
                JOIN p ON p.id = v.participant_id
                LEFT JOIN visit_definitions d ON d.trial_id = v.trial_id AND d.code = v.code
                WHERE v.status <> 'Missed'),
            -- Each form a visit collects, joined to what is saved, reviewed and queried as sets (hash joins, not a probe per form).
            saved AS (
                SELECT visit_id, form_code, bool_and(done) AS complete FROM (
                    SELECT r.visit_id, r.form_code, r.status = 'Complete' AS done FROM form_records r JOIN p ON p.id = r.participant_id
                    WHERE r.visit_id IS NOT NULL
                    UNION ALL SELECT m.visit_id, 'MRSS', true FROM mrss_assessments m JOIN p ON p.id = m.participant_id
                    UNION ALL SELECT i.visit_id, 'INFUSION', i.administered_at IS NOT NULL OR i.not_administered_reason IS NOT NULL
                    FROM infusions i JOIN p ON p.id = i.participant_id) entered
                GROUP BY visit_id, form_code),
            queried AS (
                SELECT DISTINCT q.participant_id, q.visit_code, q.form_code FROM data_queries q JOIN p ON p.id = q.participant_id
                WHERE q.status <> 'Closed' AND q.visit_code IS NOT NULL),
            -- Only the forms that count for a task: every form of a completed visit, and a form saved at any visit.
            due AS (
                SELECT v.id AS visit_id, fc AS form_code FROM v CROSS JOIN LATERAL unnest(v.forms) fc WHERE v.status = 'Completed'
                UNION
                SELECT visit_id, form_code FROM saved),
            f AS (
                SELECT v.participant_id, v.id AS visit_id, v.status = 'Completed' AS visit_done, s.visit_id IS NOT NULL AS started,
                       coalesce(s.complete, false) AS complete, r.verified_at IS NOT NULL AS verified, r.frozen_at IS NOT NULL AS frozen,
                       qd.participant_id IS NOT NULL AS queried
                FROM due
                JOIN v ON v.id = due.visit_id AND due.form_code = ANY (v.forms)
                LEFT JOIN saved s ON s.visit_id = due.visit_id AND s.form_code = due.form_code
                LEFT JOIN form_reviews r ON r.visit_id = due.visit_id AND r.form_code = due.form_code
                LEFT JOIN queried qd ON qd.participant_id = v.participant_id AND qd.visit_code = v.code AND qd.form_code = due.form_code),
            -- Summed per visit and per participant in one pass each (a subquery per participant over f would read it whole each time).
            per_visit AS (
                SELECT visit_id, bool_or(NOT complete) AS incomplete FROM f GROUP BY visit_id),
            forms_per_participant AS (
                SELECT participant_id,
                       count(*) FILTER (WHERE (visit_done OR started) AND NOT complete) AS to_complete,
                       count(*) FILTER (WHERE complete AND NOT verified) AS to_verify,
                       count(*) FILTER (WHERE complete AND verified AND NOT frozen AND NOT queried) AS ready_to_freeze
                FROM f GROUP BY participant_id),
            visits_per_participant AS (
                SELECT v.participant_id,
                       count(*) FILTER (WHERE v.status = 'Scheduled' AND v.day IS NOT NULL AND v.window_end < {today}) AS overdue,
                       count(*) FILTER (WHERE v.status = 'Completed' AND NOT coalesce(pv.incomplete, false)
                           AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.participant_id = v.participant_id AND s.invalidated_at IS NULL
                                           AND (s.scope = 'Casebook' OR s.visit_id = v.id))) AS to_sign
                FROM v LEFT JOIN per_visit pv ON pv.visit_id = v.id
                GROUP BY v.participant_id),
            queries_per_participant AS (
                SELECT q.participant_id, count(*) FILTER (WHERE q.status = 'Open') AS open, count(*) FILTER (WHERE q.status = 'Answered') AS answered
                FROM data_queries q JOIN p ON p.id = q.participant_id
                GROUP BY q.participant_id),
            counted AS (
                SELECT p.id AS "ParticipantId", p.site_id AS "SiteId", p.screening_number AS "ScreeningNumber",
                    (CASE WHEN p.status = 'Randomized' THEN coalesce(vp.overdue, 0) ELSE 0 END)::int AS "VisitsOverdue",
                    coalesce(fp.to_complete, 0)::int AS "FormsToComplete",
                    coalesce(qp.open, 0)::int AS "OpenQueries",
                    coalesce(qp.answered, 0)::int AS "AnsweredQueries",
                    coalesce(fp.to_verify, 0)::int AS "FormsToVerify",
                    coalesce(vp.to_sign, 0)::int AS "VisitsToSign",
                    (p.status IN ('Completed', 'Withdrawn', 'Deceased') AND coalesce(fp.to_complete, 0) = 0
                        AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.participant_id = p.id AND s.invalidated_at IS NULL AND s.scope = 'Casebook'))::int
                        AS "CasebooksToSign",
                    coalesce(fp.ready_to_freeze, 0)::int AS "FormsReadyToFreeze"
                FROM p
                LEFT JOIN forms_per_participant fp ON fp.participant_id = p.id
                LEFT JOIN visits_per_participant vp ON vp.participant_id = p.id
                LEFT JOIN queries_per_participant qp ON qp.participant_id = p.id)
            SELECT * FROM counted
            WHERE "VisitsOverdue" + "FormsToComplete" + "OpenQueries" + "AnsweredQueries" + "FormsToVerify" + "VisitsToSign" + "CasebooksToSign"
                + "FormsReadyToFreeze" > 0
            ORDER BY "ScreeningNumber"
            """;
    }

    private sealed record Row(
        Guid ParticipantId, Guid SiteId, string ScreeningNumber, int VisitsOverdue, int FormsToComplete, int OpenQueries, int AnsweredQueries,
        int FormsToVerify, int VisitsToSign, int CasebooksToSign, int FormsReadyToFreeze)
    {
        public TaskCounts Counts() =>
            new(VisitsOverdue, FormsToComplete, OpenQueries, AnsweredQueries, FormsToVerify, VisitsToSign, CasebooksToSign, FormsReadyToFreeze);
    }
}

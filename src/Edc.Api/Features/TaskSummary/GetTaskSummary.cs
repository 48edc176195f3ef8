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
            f AS (
                SELECT v.participant_id, v.id AS visit_id, v.status = 'Completed' AS visit_done, s.started, s.complete,
                       r.verified_at IS NOT NULL AS verified, r.frozen_at IS NOT NULL AS frozen,
                       EXISTS (SELECT 1 FROM data_queries q
                               WHERE q.participant_id = v.participant_id AND q.visit_code = v.code AND q.form_code = fc AND q.status <> 'Closed') AS queried
                FROM v
                CROSS JOIN LATERAL unnest(v.forms) fc
                CROSS JOIN LATERAL (
                    SELECT count(*) > 0 AS started, coalesce(bool_and(done), false) AS complete FROM (
                        SELECT r.status = 'Complete' AS done FROM form_records r WHERE r.visit_id = v.id AND r.form_code = fc
                        UNION ALL SELECT true FROM mrss_assessments m WHERE fc = 'MRSS' AND m.visit_id = v.id
                        UNION ALL SELECT i.administered_at IS NOT NULL OR i.not_administered_reason IS NOT NULL
                        FROM infusions i WHERE fc = 'INFUSION' AND i.visit_id = v.id) saved) s
                LEFT JOIN form_reviews r ON r.visit_id = v.id AND r.form_code = fc),
            counted AS (
                SELECT p.id AS "ParticipantId", p.site_id AS "SiteId", p.screening_number AS "ScreeningNumber",
                    (SELECT count(*) FROM v WHERE v.participant_id = p.id AND p.status = 'Randomized' AND v.status = 'Scheduled'
                        AND v.day IS NOT NULL AND v.window_end < {today})::int AS "VisitsOverdue",
                    (SELECT count(*) FROM f WHERE f.participant_id = p.id AND (f.visit_done OR f.started) AND NOT f.complete)::int AS "FormsToComplete",
                    (SELECT count(*) FROM data_queries q WHERE q.participant_id = p.id AND q.status = 'Open')::int AS "OpenQueries",
                    (SELECT count(*) FROM data_queries q WHERE q.participant_id = p.id AND q.status = 'Answered')::int AS "AnsweredQueries",
                    (SELECT count(*) FROM f WHERE f.participant_id = p.id AND f.complete AND NOT f.verified)::int AS "FormsToVerify",
                    (SELECT count(*) FROM v WHERE v.participant_id = p.id AND v.status = 'Completed'
                        AND NOT EXISTS (SELECT 1 FROM f WHERE f.visit_id = v.id AND NOT f.complete)
                        AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.participant_id = p.id AND s.invalidated_at IS NULL
                                        AND (s.scope = 'Casebook' OR s.visit_id = v.id)))::int AS "VisitsToSign",
                    (p.status IN ('Completed', 'Withdrawn', 'Deceased')
                        AND NOT EXISTS (SELECT 1 FROM f WHERE f.participant_id = p.id AND (f.visit_done OR f.started) AND NOT f.complete)
                        AND NOT EXISTS (SELECT 1 FROM signatures s WHERE s.participant_id = p.id AND s.invalidated_at IS NULL AND s.scope = 'Casebook'))::int
                        AS "CasebooksToSign",
                    (SELECT count(*) FROM f WHERE f.participant_id = p.id AND f.complete AND f.verified AND NOT f.frozen AND NOT f.queried)::int
                        AS "FormsReadyToFreeze"
                FROM p)
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

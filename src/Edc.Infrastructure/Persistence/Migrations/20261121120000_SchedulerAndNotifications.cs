using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>
/// The runs of scheduled jobs. (It also created the first release's job store, the qrtz_ tables; the jobs moved to
/// Hangfire, so a new database no longer gets them and <see cref="HangfireReplacesTheFirstScheduler"/> drops them.)
/// </summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121120000_SchedulerAndNotifications")]
public sealed class SchedulerAndNotifications : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder) => migrationBuilder.Sql(Schema);

    protected override void Down(MigrationBuilder migrationBuilder) => migrationBuilder.Sql("DROP TABLE job_runs;");

    private const string Schema = """
        CREATE TABLE job_runs (
            id uuid NOT NULL,
            job character varying(100) NOT NULL,
            trial_id uuid,
            period character varying(40) NOT NULL,
            started_at timestamp with time zone NOT NULL,
            completed_at timestamp with time zone,
            outcome character varying(500),
            CONSTRAINT pk_job_runs PRIMARY KEY (id)
        );

        CREATE UNIQUE INDEX ix_job_runs_job_trial_id_period ON job_runs (job, trial_id, period) NULLS NOT DISTINCT;
        """;
}

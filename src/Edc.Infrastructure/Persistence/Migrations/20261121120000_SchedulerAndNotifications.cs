using Microsoft.EntityFrameworkCore.Infrastructure;
using Microsoft.EntityFrameworkCore.Migrations;

namespace Edc.Infrastructure.Persistence.Migrations;

/// <summary>The clustered scheduler's job store (Quartz's qrtz_ tables) and the runs of scheduled jobs.</summary>
[DbContext(typeof(EdcDbContext))]
[Migration("20261121120000_SchedulerAndNotifications")]
public sealed class SchedulerAndNotifications : Migration
{
    protected override void Up(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(Schema);
        migrationBuilder.Sql(QuartzSchemaSql.Create);
    }

    protected override void Down(MigrationBuilder migrationBuilder)
    {
        migrationBuilder.Sql(QuartzSchemaSql.Drop);
        migrationBuilder.Sql("DROP TABLE job_runs;");
    }

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

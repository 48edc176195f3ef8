using Edc.Infrastructure;
using Edc.Infrastructure.Persistence.Migrations;
using Npgsql;
using Quartz;

namespace Edc.Api.Hosting;

/// <summary>
/// Background jobs on a Quartz.NET scheduler clustered over the application's database: every instance runs one,
/// with an id of its own (AUTO), and each firing runs on one instance only. Its tables are created by a migration.
/// <para>
/// A job is a class implementing <see cref="IJob"/> in this assembly, named <c>&lt;Name&gt;Job</c>, that sends one
/// MediatR command; its schedule is the cron expression (UTC) at <c>Edc:Scheduler:Jobs:&lt;Name&gt;:Cron</c>, which
/// every job must have. A job that covers a period claims its run (JobOccurrence), so a re-fire does nothing twice.
/// </para>
/// </summary>
public static class Scheduler
{
    public const string Section = "Edc:Scheduler";
    public const string SchedulerName = "Edc";

    /// <summary>The scheduled jobs: name (the job's key, and its configuration entry) and type.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Jobs { get; } =
        [.. typeof(Scheduler).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IJob).IsAssignableFrom(t))
            .Select(t => (t.Name.EndsWith("Job", StringComparison.Ordinal) ? t.Name[..^3] : t.Name, t))
            .OrderBy(j => j.Item1, StringComparer.Ordinal)];

    /// <summary>Registers the scheduler unless Edc:Scheduler:Enabled is false. Call after the start-up services it must follow.</summary>
    public static WebApplicationBuilder AddEdcScheduler(this WebApplicationBuilder builder)
    {
        var settings = builder.Configuration.GetSection(Section);
        if (!settings.GetValue("Enabled", true))
        {
            return builder;
        }

        // The connection string is read when the store first connects: after a local database was started and the
        // migrations ran, since this hosted service is registered after theirs.
        builder.Services.AddKeyedSingleton<NpgsqlDataSource>(SchedulerName, (provider, _) =>
            NpgsqlDataSource.Create(InfrastructureServices.RequireConnectionString(provider.GetRequiredService<IConfiguration>())));
        builder.AddQuartz(quartz =>
        {
            quartz.ConfigureScheduler(scheduler =>
            {
                scheduler.InstanceName = SchedulerName;
                scheduler.DefaultTimeZone = TimeZoneInfo.Utc;
            });
            quartz.UseDefaultThreadPool(settings.GetValue("MaxConcurrency", 2));
            quartz.UsePersistentStore(store =>
            {
                store.UsePostgres(source => source.DataSourceFactory = provider => provider.GetRequiredKeyedService<NpgsqlDataSource>(SchedulerName));
                store.ConfigureStore(options => options.TablePrefix = QuartzSchemaSql.TablePrefix);
                store.UseSystemTextJsonSerializer();
                store.UseClustering(cluster =>
                {
                    cluster.CheckinInterval = settings.GetValue("CheckinInterval", TimeSpan.FromSeconds(10));
                    cluster.CheckinMisfireThreshold = settings.GetValue("CheckinMisfireThreshold", TimeSpan.FromSeconds(20));
                });
            });

            foreach (var (name, type) in Jobs)
            {
                var cron = settings[$"Jobs:{name}:Cron"] is { Length: > 0 } configured
                    ? configured
                    : throw new InvalidOperationException($"The job {type.Name} has no schedule: set {Section}:Jobs:{name}:Cron.");
                quartz.AddJob(type, job => job.WithIdentity(name));
                quartz.AddTrigger(trigger => trigger.ForJob(name).WithIdentity(name).WithCronSchedule(cron));
            }
        });
        builder.AddQuartzHostedService(options => options.WaitForJobsToComplete = true);
        return builder;
    }
}

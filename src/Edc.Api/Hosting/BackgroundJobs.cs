using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure;
using Edc.Infrastructure.Jobs;
using Hangfire;
using Hangfire.AspNetCore;
using Hangfire.Storage;

namespace Edc.Api.Hosting;

/// <summary>
/// Background jobs on Hangfire, stored in the application's database (<see cref="JobStore"/>). Every instance is a
/// Hangfire server unless <c>Edc:JobServer:Enabled</c> is false; each enqueued run is fetched by one server.
/// <para>
/// A recurring job is a class of this assembly implementing <see cref="IRecurringJob"/>, named <c>&lt;Name&gt;Job</c>,
/// that sends one MediatR command; its schedule is the cron expression (UTC) at <c>Edc:Jobs:&lt;Name&gt;</c>, which
/// every job must have. Hangfire runs a job at least once: each job's effect is made exactly once by keys in the
/// database (a claimed run per period, a unique summary per week, marks taken with SKIP LOCKED).
/// </para>
/// </summary>
public static class BackgroundJobs
{
    public const string SchedulesSection = "Edc:Jobs";

    /// <summary>The recurring jobs: name (the job's id in Hangfire, and its configuration key) and type.</summary>
    public static IReadOnlyList<(string Name, Type Type)> Recurring { get; } =
        [.. typeof(BackgroundJobs).Assembly.GetTypes()
            .Where(t => t is { IsClass: true, IsAbstract: false } && typeof(IRecurringJob).IsAssignableFrom(t))
            .Select(t => (t.Name.EndsWith("Job", StringComparison.Ordinal) ? t.Name[..^3] : t.Name, t))
            .OrderBy(j => j.Item1, StringComparer.Ordinal)];

    /// <summary>
    /// Registers Hangfire's client, storage and dashboard services, and its server unless turned off. Call after the
    /// hosted services that start and migrate the database: the server's hosted service must start after theirs.
    /// </summary>
    public static WebApplicationBuilder AddEdcJobs(this WebApplicationBuilder builder)
    {
        var services = builder.Services;

        // This instance's own storage and activator, registered before AddHangfire so that its process-wide defaults
        // (JobStorage.Current, JobActivator.Current) are not used: two instances in one process (the tests) stay apart.
        services.AddSingleton<JobStorage>(provider =>
        {
            var configuration = provider.GetRequiredService<IConfiguration>();
            return JobStore.Create(() => InfrastructureServices.RequireConnectionString(configuration), configuration);
        });
        services.AddSingleton<JobActivator>(provider => new AspNetCoreJobActivator(provider.GetRequiredService<IServiceScopeFactory>()));
        services.AddHangfire(_ => { });
        // Replaces AddHangfire's configuration, which would point Hangfire's process-wide logging and activator at the
        // latest instance's services for good, disposed or not.
        services.AddSingleton<HangfireLogging>();
        services.AddSingleton<IGlobalConfiguration>(provider =>
        {
            provider.GetRequiredService<HangfireLogging>();
            return GlobalConfiguration.Configuration
                .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
                .UseSimpleAssemblyNameTypeSerializer()
                .UseRecommendedSerializerSettings();
        });

        var server = builder.Configuration.GetSection(JobStore.SettingsSection);
        if (server.GetValue("Enabled", true))
        {
            services.AddHangfireServer(options => options.WorkerCount = server.GetValue("WorkerCount", 2));
        }

        return builder;
    }

    /// <summary>
    /// Adds or updates each recurring job with its configured schedule and removes recurring jobs no longer defined. Run
    /// under the start-up lock, so instances starting at once do it one after the other.
    /// </summary>
    public static void RegisterRecurringJobs(IServiceProvider provider)
    {
        var configuration = provider.GetRequiredService<IConfiguration>();
        var schedules = configuration.GetSection(SchedulesSection).GetChildren().ToDictionary(s => s.Key, s => s.Value, StringComparer.Ordinal);
        var unknown = schedules.Keys.Except(Recurring.Select(j => j.Name)).ToList();
        if (unknown.Count > 0)
        {
            throw new InvalidOperationException(
                $"{SchedulesSection} names no job called {string.Join(", ", unknown)}; the jobs are {string.Join(", ", Recurring.Select(j => j.Name))}.");
        }

        var manager = provider.GetRequiredService<IRecurringJobManager>();
        var options = new RecurringJobOptions { TimeZone = TimeZoneInfo.Utc };
        foreach (var (name, type) in Recurring)
        {
            var cron = schedules.GetValueOrDefault(name) is { Length: > 0 } configured
                ? configured
                : throw new InvalidOperationException($"The job {type.Name} has no schedule: set {SchedulesSection}:{name} to a cron expression (UTC).");
            manager.AddOrUpdate<RecurringJobRunner>(name, runner => runner.RunAsync(name, null!, CancellationToken.None), cron, options);
        }

        using var connection = provider.GetRequiredService<JobStorage>().GetConnection();
        foreach (var stale in connection.GetRecurringJobs().Select(j => j.Id).Except(Recurring.Select(j => j.Name)))
        {
            manager.RemoveIfExists(stale);
        }
    }

    /// <summary>
    /// Hangfire's dashboard at <c>/jobs</c>, for admins only, through the API's own authentication and session check (a
    /// revoked session is refused at once): the recurring jobs with their last and next runs, the servers, failures.
    /// </summary>
    public static void MapJobsDashboard(this IEndpointRouteBuilder endpoints)
    {
        var options = new DashboardOptions
        {
            DashboardTitle = "Edc jobs",
            DisplayStorageConnectionString = false,
            AppPath = null,
        };
        endpoints.MapHangfireDashboardWithNoAuthorizationFilters("/jobs", options)
            .RequireRoles(Roles.Admin)
            .ExcludeFromDescription();
    }
}

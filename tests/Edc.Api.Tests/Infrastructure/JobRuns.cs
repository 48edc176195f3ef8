using Edc.Api.Hosting;
using Hangfire;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>Hangfire jobs in the tests: an instance whose jobs run only when triggered, and waiting for runs to end.</summary>
public static class JobRuns
{
    /// <summary>A schedule that never comes due (31 February).</summary>
    public const string NeverDue = "0 0 31 2 *";

    /// <summary>Makes the instance a Hangfire server whose recurring jobs run only when a test triggers them.</summary>
    public static EdcApiFactory WithJobServer(this EdcApiFactory instance)
    {
        instance.WithSetting("Edc:JobServer:Enabled", "true");
        foreach (var (name, _) in BackgroundJobs.Recurring)
        {
            instance.WithSetting($"{BackgroundJobs.SchedulesSection}:{name}", NeverDue);
        }

        return instance;
    }

    /// <summary>Triggers a recurring job now through the instance's own manager, as the dashboard's "Trigger now"; answers the run's id.</summary>
    public static string TriggerJob(this EdcApiFactory instance, string job) =>
        instance.Services.GetRequiredService<IRecurringJobManagerV2>().TriggerJob(job);

    /// <summary>Waits until every run has succeeded, on whichever server fetched it; fails on a failed run or after a minute.</summary>
    public static async Task WaitSucceededAsync(this EdcApiFactory instance, params string[] runs)
    {
        using var connection = instance.Services.GetRequiredService<JobStorage>().GetConnection();
        for (var wait = 0; wait < 600; wait++)
        {
            var states = runs.Select(id => connection.GetStateData(id)?.Name).ToList();
            Assert.DoesNotContain("Failed", states);
            if (states.All(state => state == "Succeeded"))
            {
                return;
            }

            await Task.Delay(100);
        }

        Assert.Fail($"Runs {string.Join(", ", runs)} did not succeed within a minute.");
    }
}

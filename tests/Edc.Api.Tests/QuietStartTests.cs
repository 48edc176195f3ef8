using System.Net;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// What a newcomer sees in the log: a first start on an empty database and a restart on it, each running a job and
/// stopping cleanly, log no warning and no error (no failed migration-history query, no key-encryption warning, no
/// "failed or restarted instance").
/// </summary>
public sealed class QuietStartTests
{
    [Fact]
    public async Task FirstStartAndRestart_WithAJobRun_LogNoWarningAndNoError()
    {
        var database = await TestDatabaseServer.CreateDatabaseAsync();
        foreach (var start in new[] { "first start", "restart" })
        {
            var instance = new EdcApiFactory().WithConnectionString(database).WithJobServer();
            try
            {
                await instance.InitializeAsync();
                Assert.Equal(HttpStatusCode.OK, (await instance.Anonymous().GetAsync("/health/ready")).StatusCode);
                await instance.AdminAsync();
                await instance.WaitSucceededAsync(instance.TriggerJob("NotificationDelivery"));
            }
            finally
            {
                await instance.DisposeAsync();
            }

            var worrying = instance.Logs.Lines
                .Where(l => l.StartsWith("Warning ", StringComparison.Ordinal) || l.StartsWith("Error ", StringComparison.Ordinal)
                    || l.StartsWith("Critical ", StringComparison.Ordinal))
                .ToList();
            Assert.True(worrying.Count == 0, $"The {start} logged:\n" + string.Join("\n", worrying));
        }
    }
}

/// <summary>A schedule that names no job, or a job without a schedule, stops the start with a message saying which.</summary>
public sealed class JobScheduleConfigurationTests
{
    [Theory]
    [InlineData("Edc:Jobs:WeeklySafetySumary", "0 5 * * MON", "names no job called WeeklySafetySumary")]
    [InlineData("Edc:Jobs:OverdueVisitDigest", "", "set Edc:Jobs:OverdueVisitDigest")]
    public async Task Start_WithAScheduleForNoJobOrAJobWithoutOne_FailsNamingIt(string key, string value, string message)
    {
        await using var instance = new EdcApiFactory().WithSetting(key, value);

        var failure = await Assert.ThrowsAnyAsync<InvalidOperationException>(instance.InitializeAsync);

        Assert.Contains(message, failure.Message, StringComparison.Ordinal);
    }
}

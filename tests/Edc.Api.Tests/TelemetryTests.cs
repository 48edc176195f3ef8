using System.Diagnostics;
using System.Net;
using Edc.Api.Hosting;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Edc.Api.Tests;

/// <summary>An instance with OpenTelemetry on and a job server, its jobs run only when triggered.</summary>
public sealed class TelemetryInstance : EdcApiFactory
{
    public TelemetryInstance() => WithTelemetry().WithJobServer();
}

/// <summary>
/// Traces, metrics and logs over OTLP when an endpoint is configured: a span per request with its database calls, a
/// span per job run with its database calls and log records, ASP.NET Core and Npgsql metrics; nothing without one.
/// </summary>
public sealed class TelemetryTests(TelemetryInstance api) : IClassFixture<TelemetryInstance>
{
    [Fact]
    public async Task Telemetry_WithoutAnOtlpEndpoint_CollectsNothing()
    {
        await using var plain = new EdcApiFactory();
        await plain.InitializeAsync();

        Assert.Null(plain.Services.GetService<TracerProvider>());
        Assert.Null(plain.Services.GetService<MeterProvider>());
    }

    [Fact]
    public async Task Request_IsASpanWithItsRouteAndItsDatabaseCalls_WhoseTraceIdItsProblemQuotes_AndMetricsAreExported()
    {
        var admin = await api.AdminAsync();
        var unknownTrial = Guid.NewGuid();

        var response = await admin.GetAsync($"/api/trials/{unknownTrial}");
        await response.AssertProblemAsync(HttpStatusCode.NotFound);
        CapturedTelemetry.Flush(api.Services);

        var server = Assert.Single(api.Telemetry!.Spans, s => s.Kind == ActivityKind.Server && s.GetTagItem("url.path") as string == $"/api/trials/{unknownTrial}");
        Assert.Equal(server.TraceId.ToString(), (await response.JsonAsync()).GetProperty("traceId").GetString());
        Assert.Equal("/api/trials/{trialId:guid}", server.GetTagItem("http.route"));
        Assert.Equal(404, server.GetTagItem("http.response.status_code"));
        Assert.Contains(api.Telemetry.Spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == server.SpanId);

        var exported = api.Telemetry.ReceivedText();
        Assert.Contains("http.server.request.duration", exported, StringComparison.Ordinal);
        Assert.Contains("db.client.", exported, StringComparison.Ordinal); // Npgsql's metrics
        Assert.Contains(api.Telemetry.Received, r => r.Path == "/v1/traces");
        Assert.Contains(api.Telemetry.Received, r => r.Path == "/v1/metrics");
    }

    [Fact]
    public async Task JobRun_IsASpanOfItsOwn_WithItsDatabaseCallsAndLogRecordsInItsTrace()
    {
        var admin = await api.AdminAsync();
        var (userId, _) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var notification = await NotificationTests.QueueAsync(api, userId, "Traced");

        var run = api.TriggerJob("NotificationDelivery");
        await api.WaitSucceededAsync(run);
        CapturedTelemetry.Flush(api.Services);

        // Activity sources are process-wide, so spans of the test run's other instances are captured too: the job's span
        // is found through the trace of this instance's own log record of the delivery.
        var delivered = Assert.Single(api.Telemetry!.Logs, l => l.Text.Contains(notification.ToString(), StringComparison.Ordinal));
        var job = Assert.Single(api.Telemetry.Spans, s => s.Source.Name == EdcTelemetry.Jobs.Name && s.TraceId == delivered.TraceId);
        Assert.Equal(run, job.GetTagItem("edc.job.id"));
        Assert.Equal("job NotificationDelivery", job.DisplayName);
        Assert.Equal("NotificationDelivery", job.GetTagItem("edc.job.name"));
        Assert.Equal(ActivityStatusCode.Unset, job.Status);
        Assert.Contains(api.Telemetry.Spans, s => s.Source.Name == "Npgsql" && s.ParentSpanId == job.SpanId);
        Assert.Equal(job.SpanId, delivered.SpanId);
        Assert.Contains(api.Telemetry.Received, r => r.Path == "/v1/logs");
        Assert.Contains("job NotificationDelivery", api.Telemetry.ReceivedText(), StringComparison.Ordinal);
    }
}

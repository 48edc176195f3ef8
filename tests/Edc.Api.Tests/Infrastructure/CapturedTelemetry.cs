using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// What an API instance's OpenTelemetry exports: the raw OTLP/HTTP requests, received by a collector of its own on
/// loopback (so the test proves what leaves the process), and the spans and log records as objects, taken by processors
/// beside the exporter.
/// </summary>
public sealed class CapturedTelemetry : IAsyncDisposable
{
    private readonly ConcurrentQueue<(string Path, byte[] Body)> _received = new();
    private WebApplication? _collector;

    public ConcurrentQueue<Activity> Spans { get; } = new();

    public ConcurrentQueue<CapturedLog> Logs { get; } = new();

    /// <summary>Each OTLP request the collector received: its path (/v1/traces, /v1/metrics, /v1/logs) and protobuf body.</summary>
    public IReadOnlyCollection<(string Path, byte[] Body)> Received => _received;

    /// <summary>Starts the collector and answers the settings that point the API's OTLP exporter at it.</summary>
    public async Task<Dictionary<string, string>> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        _collector = builder.Build();
        _collector.MapPost("/v1/{signal}", async (HttpContext http) =>
        {
            using var body = new MemoryStream();
            await http.Request.Body.CopyToAsync(body);
            _received.Enqueue((http.Request.Path.Value!, body.ToArray()));
            return Results.Ok();
        });
        await _collector.StartAsync();
        return new Dictionary<string, string>
        {
            ["OTEL_EXPORTER_OTLP_ENDPOINT"] = _collector.Urls.Single(),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
        };
    }

    public void AddCapture(IServiceCollection services)
    {
        services.ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddProcessor(new SpanCapture(Spans)));
        services.ConfigureOpenTelemetryLoggerProvider(logging => logging.AddProcessor(new LogCapture(Logs)));
    }

    /// <summary>Exports everything recorded so far, to the collector and the in-memory lists, before this returns.</summary>
    public static void Flush(IServiceProvider services)
    {
        Assert.True(services.GetRequiredService<TracerProvider>().ForceFlush(10_000));
        Assert.True(services.GetRequiredService<MeterProvider>().ForceFlush(10_000));
        Assert.True(services.GetRequiredService<LoggerProvider>().ForceFlush(10_000));
    }

    /// <summary>Every byte exported over OTLP, with protobuf's strings as they are (UTF-8), for searching.</summary>
    public string ReceivedText() => string.Join('\n', _received.Select(r => Encoding.UTF8.GetString(r.Body)));

    /// <summary>A log record as exported: its category, the trace and span it was written in, and its attributes as text.</summary>
    public sealed record CapturedLog(string? Category, ActivityTraceId TraceId, ActivitySpanId SpanId, string Text);

    public async ValueTask DisposeAsync()
    {
        if (_collector is not null)
        {
            await _collector.DisposeAsync();
        }
    }

    private sealed class SpanCapture(ConcurrentQueue<Activity> spans) : BaseProcessor<Activity>
    {
        public override void OnEnd(Activity data)
        {
            if (data.Recorded)
            {
                spans.Enqueue(data);
            }
        }
    }

    // Log records are pooled and reused once processed: keep a copy of what the tests read.
    private sealed class LogCapture(ConcurrentQueue<CapturedLog> logs) : BaseProcessor<LogRecord>
    {
        public override void OnEnd(LogRecord data) => logs.Enqueue(new CapturedLog(
            data.CategoryName,
            data.TraceId,
            data.SpanId,
            string.Join(' ', [data.Body, data.FormattedMessage, .. data.Attributes?.Select(a => $"{a.Key}={a.Value}") ?? []])));
    }
}

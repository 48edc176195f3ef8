using System.Diagnostics;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace Edc.Api.Hosting;

/// <summary>
/// OpenTelemetry traces, metrics and logs (ASP.NET Core, HttpClient, Npgsql and a span per job run), exported over
/// OTLP when <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set (with the standard <c>OTEL_*</c> settings); with it unset, nothing
/// is collected. Spans carry routes, statuses, SQL text and job names; never a request body, a parameter value or a
/// query-string value (the instrumentations redact them), so no arm, password, token or clinical value.
/// </summary>
public static class EdcTelemetry
{
    public const string ServiceName = "edc";
    public const string EndpointKey = "OTEL_EXPORTER_OTLP_ENDPOINT";

    public static readonly ActivitySource Jobs = new("Edc.Jobs");

    public static WebApplicationBuilder AddEdcTelemetry(this WebApplicationBuilder builder)
    {
        if (string.IsNullOrWhiteSpace(builder.Configuration[EndpointKey]))
        {
            return builder;
        }

        builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: typeof(EdcTelemetry).Assembly.GetName().Version?.ToString()))
            .WithTracing(tracing => tracing
                .AddProcessor<BackgroundDatabaseCallFilter>()
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(Jobs.Name))
            .WithMetrics(metrics => metrics
                .AddAspNetCoreInstrumentation()
                .AddHttpClientInstrumentation()
                .AddNpgsqlInstrumentation())
            .WithLogging()
            .UseOtlpExporter();
        return builder;
    }

    /// <summary>
    /// Drops database spans that belong to no request and no job: Hangfire's own polling and heartbeats, several a
    /// second, which would bury the traces worth reading. Runs before the exporter, which skips unrecorded spans.
    /// </summary>
    private sealed class BackgroundDatabaseCallFilter : BaseProcessor<Activity>
    {
        public override void OnStart(Activity data)
        {
            if (data.Source.Name == "Npgsql" && data.Parent is null && data.ParentSpanId == default)
            {
                data.ActivityTraceFlags &= ~ActivityTraceFlags.Recorded;
            }
        }
    }
}

using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Edc.Api.Hosting.OpenApi;

/// <summary>
/// The document's own description (info, servers) and the operations that are not minimal API endpoints: the health
/// checks, mapped by <c>MapHealthChecks</c>, which ApiExplorer does not see.
/// </summary>
internal sealed class DocumentConventions : IOpenApiDocumentTransformer
{
    public const string HealthTag = "Health";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Info = new OpenApiInfo
        {
            Title = "Edc API",
            Version = "v1",
            Description = """
                Electronic data capture for randomized, double-blind clinical trials: accounts and roles, trial definitions and
                sites, enrollment, concealed randomization, visits, MRSS, infusions, adverse events, unblinding, the database
                lock, safety summaries, exports and the audit trail.

                Sign in with `POST /api/auth/login` and send the access token as `Authorization: Bearer <token>`. Every error is
                an RFC 9457 problem body (`application/problem+json`) with a stable `type`; validation errors add `errors`
                keyed by field. Creating POSTs honour an `Idempotency-Key` header. No answer reveals an arm to a blinded role.
                """,
            Contact = new OpenApiContact { Name = "Edc maintainers" },
        };

        // The server URL is the request's base URL, with a trailing slash that would double the paths' leading one.
        foreach (var server in document.Servers ?? [])
        {
            server.Url = server.Url?.TrimEnd('/') is { Length: > 0 } url ? url : "/";
        }

        document.Tags ??= new HashSet<OpenApiTag>();
        document.Tags.Add(new OpenApiTag { Name = HealthTag, Description = "Liveness and readiness, for load balancers and orchestrators." });
        document.Paths ??= [];
        document.Paths["/health/live"] = Health(
            document, "HealthLive", "Liveness", "Healthy while the process runs and serves requests; checks nothing else. Anonymous.");
        document.Paths["/health/ready"] = Health(
            document, "HealthReady", "Readiness",
            "Healthy when the database is reachable and its migrations are applied; 503 Unhealthy otherwise. Anonymous.");
        return Task.CompletedTask;
    }

    private static OpenApiPathItem Health(OpenApiDocument document, string operationId, string summary, string description) => new()
    {
        Operations = new Dictionary<HttpMethod, OpenApiOperation>
        {
            [HttpMethod.Get] = new()
            {
                OperationId = operationId,
                Summary = summary,
                Description = description,
                Tags = new HashSet<OpenApiTagReference> { new(HealthTag, document) },
                Security = [],
                Responses = new OpenApiResponses
                {
                    ["200"] = HealthResponse("Healthy (or Degraded).", "Healthy", "Degraded"),
                    ["503"] = HealthResponse("Unhealthy.", "Unhealthy"),
                },
            },
        },
    };

    private static OpenApiResponse HealthResponse(string description, params string[] statuses) => new()
    {
        Description = description,
        Content = new Dictionary<string, OpenApiMediaType>
        {
            ["text/plain"] = new()
            {
                Schema = new OpenApiSchema
                {
                    Type = JsonSchemaType.String,
                    Enum = [.. statuses.Select(s => (System.Text.Json.Nodes.JsonNode)System.Text.Json.Nodes.JsonValue.Create(s))],
                },
            },
        },
    };
}

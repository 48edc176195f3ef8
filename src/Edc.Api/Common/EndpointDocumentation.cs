using Microsoft.OpenApi;

namespace Edc.Api.Common;

/// <summary>
/// How an endpoint describes itself in the OpenAPI document beyond what its typed result declares. The problem
/// responses every endpoint shares (401, 403, 404, 400, 413, 409, 422, 429, 503) are derived from its metadata by
/// <c>Hosting.OpenApi.OperationConventions</c>; what is particular to one endpoint is declared here, next to it.
/// </summary>
public static class EndpointDocumentation
{
    /// <summary>The operation's stable <c>operationId</c> (also the endpoint's name), its summary and description.</summary>
    public static RouteHandlerBuilder Describe(this RouteHandlerBuilder builder, string operationId, string summary, string description) =>
        builder.WithName(operationId).WithSummary(summary).WithDescription(description);

    /// <summary>A header the endpoint answers with a status (e.g. the ETag of a record that can be edited).</summary>
    public static RouteHandlerBuilder WithResponseHeader(this RouteHandlerBuilder builder, int statusCode, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            if (operation.Responses?.TryGetValue(statusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response is OpenApiResponse concrete)
            {
                concrete.Headers ??= new Dictionary<string, IOpenApiHeader>();
                concrete.Headers[name] = new OpenApiHeader
                {
                    Description = description,
                    Required = true,
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String },
                };
            }

            return Task.CompletedTask;
        });

    /// <summary>
    /// A request header the endpoint reads from the request itself (not bound as a parameter, so ApiExplorer cannot see it).
    /// </summary>
    public static RouteHandlerBuilder WithRequestHeader(this RouteHandlerBuilder builder, string name, string description) =>
        builder.AddOpenApiOperationTransformer((operation, _, _) =>
        {
            operation.Parameters ??= [];
            operation.Parameters.Add(new OpenApiParameter
            {
                Name = name,
                In = ParameterLocation.Header,
                Description = description,
                Schema = new OpenApiSchema { Type = JsonSchemaType.String },
            });
            return Task.CompletedTask;
        });

    /// <summary>
    /// A request body the endpoint reads from the request stream itself. Declared in the document only (by
    /// <c>Hosting.OpenApi.OperationConventions</c>): <c>Accepts</c> would also make routing refuse every other content type
    /// (415), which the endpoint does not do.
    /// </summary>
    public static RouteHandlerBuilder WithRawRequestBody(this RouteHandlerBuilder builder, string contentType, string description) =>
        builder.WithMetadata(new RawRequestBody(contentType, description));
}

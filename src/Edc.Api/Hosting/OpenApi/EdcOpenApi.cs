using Microsoft.AspNetCore.OpenApi;

namespace Edc.Api.Hosting.OpenApi;

/// <summary>The OpenAPI document served at <c>/openapi/v1.json</c> (and read by Swagger UI at <c>/swagger</c>).</summary>
public static class EdcOpenApi
{
    public static IServiceCollection AddEdcOpenApi(this IServiceCollection services)
    {
        services.AddSingleton<RequestRequirements>();
        return services.AddOpenApi(options =>
        {
            // Request types are nested (RegisterParticipant.Body, Login.Command): by its name alone every "Body" would
            // share one schema. A nested type's schema is named after its declaring type too ("RegisterParticipantBody").
            options.CreateSchemaReferenceId = type => OpenApiOptions.CreateDefaultSchemaReferenceId(type) is { } id && type.Type.DeclaringType is { } outer
                ? outer.Name + id
                : OpenApiOptions.CreateDefaultSchemaReferenceId(type);
            options.AddDocumentTransformer<BearerSecurityScheme>();
            options.AddDocumentTransformer<DocumentConventions>();
            options.AddOperationTransformer<OperationConventions>();
            options.AddSchemaTransformer<SchemaConventions>();
        });
    }
}

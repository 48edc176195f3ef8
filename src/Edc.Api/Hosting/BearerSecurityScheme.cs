using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Edc.Api.Hosting;

/// <summary>
/// Declares the bearer token in the OpenAPI document, so Swagger UI can send it ("Authorize"). Each operation that needs
/// it says so itself (<c>OpenApi.OperationConventions</c>); the anonymous ones (sign-in, refresh, health) need none.
/// </summary>
internal sealed class BearerSecurityScheme : IOpenApiDocumentTransformer
{
    public const string Name = "Bearer";

    public Task TransformAsync(OpenApiDocument document, OpenApiDocumentTransformerContext context, CancellationToken cancellationToken)
    {
        document.Components ??= new OpenApiComponents();
        document.Components.SecuritySchemes ??= new Dictionary<string, IOpenApiSecurityScheme>();
        document.Components.SecuritySchemes[Name] = new OpenApiSecurityScheme
        {
            Type = SecuritySchemeType.Http,
            Scheme = "bearer",
            Description = "The accessToken from POST /api/auth/login.",
        };
        return Task.CompletedTask;
    }
}

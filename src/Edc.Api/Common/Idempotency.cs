using Microsoft.OpenApi;

namespace Edc.Api.Common;

public static class Idempotency
{
    /// <summary>
    /// Lets <see cref="IdempotencyMiddleware"/> remember the endpoint's first response per user and key. Only for
    /// creating POSTs whose response may be stored: never for one that answers with a secret (an arm, a token).
    /// </summary>
    public static TBuilder Idempotent<TBuilder>(this TBuilder builder)
        where TBuilder : IEndpointConventionBuilder =>
        builder.MarkIdempotent(IdempotentEndpoint.Instance);

    /// <summary>
    /// As <see cref="Idempotent{TBuilder}(TBuilder)"/>, the body's <paramref name="secretFields"/> left out of the request's
    /// hash (see <see cref="IdempotentEndpoint.SecretFields"/>): a retry under the key replays the first response whatever
    /// they say, and creates nothing.
    /// </summary>
    public static TBuilder IdempotentLeavingOut<TBuilder>(this TBuilder builder, params string[] secretFields)
        where TBuilder : IEndpointConventionBuilder =>
        builder.MarkIdempotent(IdempotentEndpoint.LeavingOut(secretFields));

    private static TBuilder MarkIdempotent<TBuilder>(this TBuilder builder, IdempotentEndpoint metadata)
        where TBuilder : IEndpointConventionBuilder =>
        builder
            .WithMetadata(metadata)
            .AddOpenApiOperationTransformer((operation, _, _) =>
            {
                operation.Parameters ??= [];
                operation.Parameters.Add(new OpenApiParameter
                {
                    Name = IdempotencyMiddleware.KeyHeader,
                    In = ParameterLocation.Header,
                    Description = "Optional, 1 to 200 printable characters. A retry with the same key and body within 24 hours "
                        + "replays the first response and creates nothing; the same key with another body answers 422.",
                    Schema = new OpenApiSchema { Type = JsonSchemaType.String, MaxLength = 200 },
                });
                return Task.CompletedTask;
            });
}

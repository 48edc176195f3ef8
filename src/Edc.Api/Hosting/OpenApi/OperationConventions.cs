using System.Globalization;
using Edc.Api.Common;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.OpenApi;

namespace Edc.Api.Hosting.OpenApi;

/// <summary>
/// What every operation shares, derived from its endpoint's metadata so that no endpoint can forget it:
/// <list type="bullet">
/// <item>its security: the bearer token, except for anonymous operations (sign-in, refresh), which declare none;</item>
/// <item>who may call it, at the end of its description;</item>
/// <item>the problem responses of the pipeline around it (RFC 9457 bodies, <c>application/problem+json</c>): 400 for
/// input it reads, 401 and 403 where a role is required, 404 for the resources its path names, 409 for a signed-in
/// write refused by a rule or a concurrent change, 413 for a body, 409 and 422 for an <c>Idempotency-Key</c>, 429 where rate limited,
/// 503 when the database cannot be reached;</item>
/// <item>the headers of its answers: <c>Location</c> of a creation, <c>Idempotent-Replayed</c> of a replay,
/// <c>Retry-After</c> of a 429.</item>
/// </list>
/// Problems particular to one operation (the 401 of sign-in, the 428 of an edit without <c>If-Match</c>) are declared by
/// the endpoint itself with <c>ProducesProblem</c>.
/// </summary>
internal sealed class OperationConventions : IOpenApiOperationTransformer
{
    public const string ProblemContentType = "application/problem+json";

    private static readonly Dictionary<int, string> ProblemDescriptions = new()
    {
        [StatusCodes.Status400BadRequest] = "The request is invalid: `errors` names each field (or parameter) and what is wrong with it.",
        [StatusCodes.Status401Unauthorized] = "Not authenticated: no bearer token, or one whose session has ended.",
        [StatusCodes.Status403Forbidden] = "The caller's role may not do this (or a password confirmation failed).",
        [StatusCodes.Status404NotFound] = "No such resource, or one at a site the caller may not see.",
        [StatusCodes.Status409Conflict] =
            "A rule or the workflow state forbids it (`rule` names it; e.g. a locked trial), or the data changed meanwhile; nothing was saved.",
        [StatusCodes.Status413PayloadTooLarge] = "The request body is larger than 1 MB.",
        [StatusCodes.Status422UnprocessableEntity] = "The Idempotency-Key was first used with another request.",
        [StatusCodes.Status428PreconditionRequired] = "The record was already saved: an edit must send the ETag it was made from in If-Match.",
        [StatusCodes.Status429TooManyRequests] = "Too many requests: wait for the seconds of Retry-After.",
        [StatusCodes.Status503ServiceUnavailable] =
            "The database cannot be reached, or the outcome of a change is unknown; read before trying a change again.",
    };

    public async Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        var api = context.Description;
        var metadata = api.ActionDescriptor.EndpointMetadata;
        var document = context.Document!;
        var anonymous = metadata.OfType<IAllowAnonymous>().Any();
        var idempotent = metadata.OfType<IdempotentEndpoint>().Any();
        if (metadata.OfType<RawRequestBody>().LastOrDefault() is { } raw)
        {
            operation.RequestBody = new OpenApiRequestBody
            {
                Required = true,
                Description = raw.Description,
                Content = new Dictionary<string, OpenApiMediaType> { [raw.ContentType] = new() { Schema = new OpenApiSchema { Type = JsonSchemaType.String } } },
            };
        }

        operation.Security = anonymous
            ? []
            : [new OpenApiSecurityRequirement { [new OpenApiSecuritySchemeReference(BearerSecurityScheme.Name, document)] = [] }];
        operation.Description = $"{operation.Description} {WhoMayCall(metadata, anonymous)}".Trim();

        var statuses = new SortedSet<int> { StatusCodes.Status503ServiceUnavailable };
        var hasBody = operation.RequestBody is not null;
        if (hasBody || idempotent || api.ParameterDescriptions.Any(p => p.Source == BindingSource.Query))
        {
            statuses.Add(StatusCodes.Status400BadRequest);
        }

        if (!anonymous)
        {
            statuses.UnionWith([StatusCodes.Status401Unauthorized, StatusCodes.Status403Forbidden]);
        }

        if (api.ParameterDescriptions.Any(p => p.Source == BindingSource.Path))
        {
            statuses.Add(StatusCodes.Status404NotFound);
        }

        if ((!HttpMethods.IsGet(api.HttpMethod ?? HttpMethods.Get) && !anonymous) || idempotent)
        {
            statuses.Add(StatusCodes.Status409Conflict);
        }

        if (hasBody)
        {
            statuses.Add(StatusCodes.Status413PayloadTooLarge);
        }

        if (idempotent)
        {
            statuses.Add(StatusCodes.Status422UnprocessableEntity);
        }

        if (metadata.OfType<EnableRateLimitingAttribute>().Any())
        {
            statuses.Add(StatusCodes.Status429TooManyRequests);
        }

        operation.Responses ??= [];
        foreach (var status in statuses)
        {
            var key = status.ToString(CultureInfo.InvariantCulture);
            if (!operation.Responses.ContainsKey(key))
            {
                var type = status == StatusCodes.Status400BadRequest ? typeof(HttpValidationProblemDetails) : typeof(ProblemDetails);
                operation.Responses[key] = new OpenApiResponse
                {
                    Content = new Dictionary<string, OpenApiMediaType>
                    {
                        [ProblemContentType] = new() { Schema = await ComponentAsync(context, type, cancellationToken) },
                    },
                };
            }
        }

        foreach (var (key, response) in operation.Responses)
        {
            if (response is not OpenApiResponse concrete || !int.TryParse(key, NumberStyles.None, CultureInfo.InvariantCulture, out var status))
            {
                continue;
            }

            if (ProblemDescriptions.TryGetValue(status, out var description) && concrete.Content?.ContainsKey(ProblemContentType) == true)
            {
                concrete.Description = status == StatusCodes.Status401Unauthorized && anonymous
                    ? "The credentials are not correct, or the account or session cannot be used now."
                    : description;
            }

            if (status == StatusCodes.Status201Created)
            {
                AddHeader(concrete, "Location", "Where the created resource is.", JsonSchemaType.String, required: true);
            }

            if (status is >= 200 and < 300 && idempotent)
            {
                AddHeader(concrete, IdempotencyMiddleware.ReplayedHeader, "true when this is the stored answer to an earlier request with the same Idempotency-Key.", JsonSchemaType.String, required: false);
            }

            if (status == StatusCodes.Status429TooManyRequests)
            {
                AddHeader(concrete, "Retry-After", "Seconds to wait before trying again.", JsonSchemaType.Integer, required: true);
            }

            if (status == StatusCodes.Status409Conflict && idempotent)
            {
                AddHeader(concrete, "Retry-After", "Seconds to wait, when a request with the same Idempotency-Key is still running.", JsonSchemaType.Integer, required: false);
            }
        }
    }

    /// <summary>"Roles: Admin, Investigator.", "Any signed-in user." or "Anonymous.".</summary>
    private static string WhoMayCall(IList<object> metadata, bool anonymous)
    {
        if (anonymous)
        {
            return "Anonymous.";
        }

        // Every [Authorize] of the endpoint (its group's and its own) must be met: the roles allowed are those all of them name.
        IEnumerable<string> roles = Roles.All;
        foreach (var authorize in metadata.OfType<IAuthorizeData>().Where(a => !string.IsNullOrEmpty(a.Roles)))
        {
            roles = roles.Intersect(authorize.Roles!.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries), StringComparer.Ordinal);
        }

        var allowed = roles.ToList();
        return allowed.Count == Roles.All.Count ? "Any signed-in user." : $"Roles: {string.Join(", ", allowed)}.";
    }

    private static void AddHeader(OpenApiResponse response, string name, string description, JsonSchemaType type, bool required)
    {
        response.Headers ??= new Dictionary<string, IOpenApiHeader>();
        response.Headers.TryAdd(name, new OpenApiHeader { Description = description, Required = required, Schema = new OpenApiSchema { Type = type } });
    }

    /// <summary>A reference to the component schema of a problem type, added to the document when it is not there yet.</summary>
    private static async Task<IOpenApiSchema> ComponentAsync(OpenApiOperationTransformerContext context, Type type, CancellationToken cancellationToken)
    {
        var document = context.Document!;
        var id = type.Name;
        document.Components ??= new OpenApiComponents();
        document.Components.Schemas ??= new Dictionary<string, IOpenApiSchema>();
        if (!document.Components.Schemas.ContainsKey(id))
        {
            document.AddComponent(id, await context.GetOrCreateSchemaAsync(type, null, cancellationToken));
        }

        return new OpenApiSchemaReference(id, document);
    }
}

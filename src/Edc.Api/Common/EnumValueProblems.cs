using System.Reflection;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;

namespace Edc.Api.Common;

/// <summary>
/// A value an enum does not have, in a JSON body (<c>"relatedness": "Maybe"</c>) or a query parameter
/// (<c>?status=Sleeping</c>), is refused by binding before any validator runs. Its 400 names the field, as every field
/// error does, and the values the field takes, found from the endpoint: the type of its body and the JSON path of the
/// error, or its enum parameters and the query string.
/// </summary>
public static partial class EnumValueProblems
{
    public static ProblemDetails? TryDescribe(HttpContext http, Exception exception)
    {
        // The exception handler runs with the endpoint cleared from the context; its feature keeps it.
        if (exception is not BadHttpRequestException { StatusCode: StatusCodes.Status400BadRequest } bad
            || (http.Features.Get<IExceptionHandlerFeature>()?.Endpoint ?? http.GetEndpoint()) is not { } endpoint)
        {
            return null;
        }

        try
        {
            return bad.InnerException is JsonException json ? FromBody(http, endpoint, json) : FromQuery(http, endpoint);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or NotSupportedException)
        {
            return null; // a type the serializer cannot describe: the general answer will do.
        }
    }

    private static ProblemDetails? FromBody(HttpContext http, Endpoint endpoint, JsonException json)
    {
        if (endpoint.Metadata.GetMetadata<IAcceptsMetadata>()?.RequestType is not { } bodyType || string.IsNullOrEmpty(json.Path))
        {
            return null;
        }

        var options = http.RequestServices.GetRequiredService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>().Value.SerializerOptions;
        var current = bodyType;
        foreach (Match segment in PathSegment().Matches(json.Path))
        {
            var info = options.GetTypeInfo(current);
            if (segment.Groups["index"].Success && info.Kind == JsonTypeInfoKind.Enumerable)
            {
                current = info.ElementType!;
            }
            else if (segment.Groups["index"].Success || info.Kind is JsonTypeInfoKind.None or JsonTypeInfoKind.Enumerable)
            {
                return null;
            }
            else if (info.Kind == JsonTypeInfoKind.Dictionary)
            {
                current = info.ElementType!;
            }
            else
            {
                var name = segment.Groups["name"].Success ? segment.Groups["name"].Value : segment.Groups["quoted"].Value.Replace("''", "'", StringComparison.Ordinal);
                var comparison = options.PropertyNameCaseInsensitive ? StringComparison.OrdinalIgnoreCase : StringComparison.Ordinal;
                if (info.Properties.FirstOrDefault(p => string.Equals(p.Name, name, comparison)) is not { } property)
                {
                    return null;
                }

                current = property.PropertyType;
            }
        }

        return EnumOf(current) is { } enumType
            ? Problem(ProblemMapping.CamelCasePath(json.Path.TrimStart('$', '.')), enumType, "The body is not valid JSON for this operation.")
            : null;
    }

    private static ProblemDetails? FromQuery(HttpContext http, Endpoint endpoint)
    {
        foreach (var parameter in endpoint.Metadata.GetMetadata<MethodInfo>()?.GetParameters() ?? [])
        {
            var name = parameter.GetCustomAttribute<FromQueryAttribute>()?.Name ?? parameter.Name;
            if (EnumOf(parameter.ParameterType) is { } enumType && name is not null
                && http.Request.Query.TryGetValue(name, out var values) && values.ToString() is { Length: > 0 } value
                && !Enum.TryParse(enumType, value, ignoreCase: false, out _))
            {
                return Problem(name, enumType, "See errors for each field.");
            }
        }

        return null;
    }

    private static Type? EnumOf(Type type) => (Nullable.GetUnderlyingType(type) ?? type) is { IsEnum: true } enumType ? enumType : null;

    private static HttpValidationProblemDetails Problem(string field, Type enumType, string detail) =>
        new(new Dictionary<string, string[]> { [field] = [$"The value is not one of: {string.Join(", ", Enum.GetNames(enumType))}."] })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = ProblemMapping.TypePrefix + "validation",
            Title = "The request is invalid.",
            Detail = detail,
        };

    /// <summary>A segment of a System.Text.Json path: <c>.name</c>, <c>['quoted name']</c> or <c>[index]</c>.</summary>
    [GeneratedRegex(@"\.(?<name>[^.\[]+)|\['(?<quoted>(?:[^']|'')*)'\]|\[(?<index>\d+)\]")]
    private static partial Regex PathSegment();
}

using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Edc.Api.Common;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace Edc.Api.Hosting.OpenApi;

/// <summary>
/// Makes the schemas say what the API reads and writes:
/// <list type="bullet">
/// <item>Numbers are numbers. The web JSON defaults read numbers from strings too (<c>"5"</c>), so .NET 10 types every
/// integer <c>["integer", "string"]</c> with a pattern; the API never writes one as a string and clients should not send
/// one, so the string is dropped.</item>
/// <item>Enums are strings (<c>JsonStringEnumConverter</c>) and their values never include <c>null</c>: a field that may
/// be null says so itself (<c>oneOf</c> with <c>null</c>), not the enum every field shares.</item>
/// <item>Timestamps (written by <c>UtcTimestampConverter</c>, so unknown to the schema generator) are strings.</item>
/// <item>A request field is required only when the validators refuse it missing (<see cref="RequestRequirements"/>), and
/// then it is not nullable; an optional one may be null. A response field is required unless it is left out when null,
/// and not nullable when its type is not, or when it is nullable for requests only (<see cref="NotNullInAnswersAttribute"/>,
/// on a form that requests and answers share).</item>
/// </list>
/// </summary>
internal sealed class SchemaConventions(RequestRequirements requests) : IOpenApiSchemaTransformer
{
    // Set by a type's schema on those of its properties that may not be null; taken off by the property's own transform.
    private const string NotNullMark = "x-edc-not-null";

    public Task TransformAsync(OpenApiSchema schema, OpenApiSchemaTransformerContext context, CancellationToken cancellationToken)
    {
        NumbersAreNumbers(schema);
        var type = context.JsonTypeInfo.Type;
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        if (underlying.IsEnum)
        {
            EnumIsAString(schema);
        }

        if ((underlying == typeof(DateTimeOffset) || underlying == typeof(DateTime)) && schema.Type is null && schema.OneOf is not { Count: > 0 })
        {
            // Nullable as a field; a parameter that may be left out is optional, not null.
            var isParameter = context.ParameterDescription is not null && context.JsonPropertyInfo is null;
            schema.Type = JsonSchemaType.String | (underlying != type && !isParameter ? JsonSchemaType.Null : 0);
        }

        // The schema of a type (wherever it is met: a body, a response, another type's property) says which of its
        // properties are required, and marks those that may not be null: a request field the validators require, a
        // response field nullable for requests only.
        if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && typeof(ProblemDetails).IsAssignableFrom(type))
        {
            DescribeProblem(schema, type);
        }
        else if (context.JsonTypeInfo.Kind == JsonTypeInfoKind.Object && IsEdcType(type))
        {
            var request = requests.IsRequestType(type);
            schema.Required = new HashSet<string>(
                context.JsonTypeInfo.Properties
                    .Where(p => request ? requests.IsRequired(type, p.Name) : !IsLeftOutWhenNull(p))
                    .Select(p => p.Name),
                StringComparer.Ordinal);
            foreach (var property in context.JsonTypeInfo.Properties.Where(p => request ? requests.IsRequired(type, p.Name) : IsNotNullInAnswers(p)))
            {
                if (schema.Properties?.TryGetValue(property.Name, out var propertySchema) == true && propertySchema is OpenApiSchema concrete)
                {
                    (concrete.Metadata ??= new Dictionary<string, object>())[NotNullMark] = true;
                }
            }
        }

        // A property's schema is transformed after its type's, and completed here: its transform knows only the type
        // that declares it, which may be a base that requests and answers share (the adverse event form).
        if (context.JsonPropertyInfo is not null && schema.Metadata?.Remove(NotNullMark) == true)
        {
            NotNull(schema);
        }

        return Task.CompletedTask;
    }

    /// <summary>
    /// An Edc problem always has a type, a title and a status (<c>ProblemMapping</c>; the framework's own are completed
    /// there too), a validation problem its errors; every one the request's trace id, and some more members (the
    /// <c>rule</c> of a 409).
    /// </summary>
    private static void DescribeProblem(OpenApiSchema schema, Type type)
    {
        schema.Properties ??= new Dictionary<string, IOpenApiSchema>();
        string[] required = typeof(HttpValidationProblemDetails).IsAssignableFrom(type) ? ["type", "title", "status", "errors"] : ["type", "title", "status"];
        foreach (var name in required)
        {
            if (schema.Properties.TryGetValue(name, out var property) && property is OpenApiSchema concrete)
            {
                NotNull(concrete);
            }
        }

        schema.Required = new HashSet<string>(required, StringComparer.Ordinal);
        schema.Properties["traceId"] = new OpenApiSchema { Type = JsonSchemaType.String, Description = "The request's W3C trace id, as its logs and spans carry it." };
        schema.Properties["rule"] = new OpenApiSchema
        {
            Type = JsonSchemaType.String,
            Description = "The rule that refused a 409 (e.g. StaleEdit, ParticipantLocked), with its details as further members.",
        };
        schema.AdditionalProperties = new OpenApiSchema();
    }

    private static bool IsEdcType(Type type) => type.Assembly.GetName().Name?.StartsWith("Edc.", StringComparison.Ordinal) == true
        || (type.IsGenericType && type.GetGenericArguments().Any(IsEdcType));

    private static bool IsLeftOutWhenNull(JsonPropertyInfo property) =>
        property.AttributeProvider?.GetCustomAttributes(typeof(JsonIgnoreAttribute), inherit: false)
            .OfType<JsonIgnoreAttribute>()
            .Any(a => a.Condition is JsonIgnoreCondition.WhenWritingNull or JsonIgnoreCondition.WhenWritingDefault) == true;

    private static bool IsNotNullInAnswers(JsonPropertyInfo property) =>
        property.AttributeProvider?.IsDefined(typeof(NotNullInAnswersAttribute), inherit: true) == true;

    /// <summary>Drops the string alternative (and its digits pattern) from integers and numbers, here and in nested schemas.</summary>
    private static void NumbersAreNumbers(IOpenApiSchema? candidate)
    {
        if (candidate is not OpenApiSchema schema)
        {
            return;
        }

        if (schema.Type is { } type && (type & (JsonSchemaType.Integer | JsonSchemaType.Number)) != 0 && (type & JsonSchemaType.String) != 0)
        {
            schema.Type = type & ~JsonSchemaType.String;
            schema.Pattern = null;
        }

        NumbersAreNumbers(schema.Items);
        NumbersAreNumbers(schema.AdditionalProperties);
        foreach (var alternative in schema.OneOf ?? [])
        {
            NumbersAreNumbers(alternative);
        }
    }

    private static void EnumIsAString(OpenApiSchema schema)
    {
        if (schema.Enum is { Count: > 0 } values)
        {
            schema.Enum = [.. values.Where(v => v is not null && v.GetValueKind() != System.Text.Json.JsonValueKind.Null)];
            schema.Type = JsonSchemaType.String;
        }
    }

    /// <summary>A required field may not be null: <c>null</c> leaves its type and its <c>oneOf</c>.</summary>
    private static void NotNull(OpenApiSchema schema)
    {
        if (schema.Type is { } type && (type & JsonSchemaType.Null) != 0)
        {
            schema.Type = type & ~JsonSchemaType.Null;
        }

        if (schema.OneOf is { Count: > 1 } alternatives)
        {
            schema.OneOf = [.. alternatives.Where(a => a is not OpenApiSchema { Type: JsonSchemaType.Null })];
        }

        if (schema.Enum is { Count: > 0 } values)
        {
            schema.Enum = [.. values.Where(v => v is not null && v.GetValueKind() != System.Text.Json.JsonValueKind.Null)];
        }

        // A componentized type (an enum, a record) is made nullable later, by a oneOf with null, when marked so.
        schema.Metadata?.Remove("x-is-nullable-property");
    }
}

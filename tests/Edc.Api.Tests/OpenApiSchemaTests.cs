using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// The OpenAPI document describes every operation well enough to generate a typed client from it (issue 15): an
/// operationId, a summary and a description, its success schema, its problem responses, its security; creations answer
/// 201 with a Location; numbers are numbers, enums have no null, and request fields are required only when they are.
/// The first tests were found by the hostile-input drill (bench/drills.sh), which generates requests from the document:
/// every request type named Body or Command shared one schema, so the document described most bodies with another
/// operation's fields.
/// </summary>
public sealed class OpenApiSchemaTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Theory]
    [InlineData("/api/auth/login", "post", "email")]
    [InlineData("/api/auth/refresh", "post", "refreshToken")]
    [InlineData("/api/trials", "post", "arms")]
    [InlineData("/api/users", "post", "password")]
    [InlineData("/api/users/{id}", "patch", "active")]
    [InlineData("/api/trials/{trialId}/sites", "post", "code")]
    [InlineData("/api/trials/{trialId}/participants", "post", "siteId")]
    [InlineData("/api/trials/{trialId}/participants/{participantId}/enrollment", "post", "eligibility")]
    [InlineData("/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss", "put", "scores")]
    [InlineData("/api/trials/{trialId}/randomization-list", "post", "blockSizes")]
    [InlineData("/api/trials/{trialId}/unblinding-requests/{requestId}/decision", "post", "approve")]
    public async Task OpenApiDocument_DescribesEachRequestBodyWithItsOwnFields(string path, string method, string field)
    {
        var document = await api.Anonymous().GetJsonAsync("/openapi/v1.json");
        var schema = document.GetProperty("paths").GetProperty(path).GetProperty(method)
            .GetProperty("requestBody").GetProperty("content").GetProperty("application/json").GetProperty("schema");
        if (schema.TryGetProperty("$ref", out var reference))
        {
            schema = document.GetProperty("components").GetProperty("schemas").GetProperty(reference.GetString()!.Split('/')[^1]);
        }

        var properties = schema.GetProperty("properties").EnumerateObject().Select(p => p.Name).ToList();
        Assert.True(properties.Contains(field), $"{method} {path}: {string.Join(", ", properties)}");
    }

    [Fact]
    public async Task OpenApiDocument_GivesDistinctRequestTypesDistinctSchemas()
    {
        var document = await api.Anonymous().GetJsonAsync("/openapi/v1.json");
        var references = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var path in document.GetProperty("paths").EnumerateObject())
        {
            foreach (var operation in path.Value.EnumerateObject().Where(o => o.Value.ValueKind == JsonValueKind.Object && o.Value.TryGetProperty("requestBody", out _)))
            {
                if (operation.Value.GetProperty("requestBody").GetProperty("content").TryGetProperty("application/json", out var json)
                    && json.GetProperty("schema").TryGetProperty("$ref", out var reference))
                {
                    var operations = references.TryGetValue(reference.GetString()!, out var set) ? set : references[reference.GetString()!] = [];
                    operations.Add($"{operation.Name} {path.Name}");
                }
            }
        }

        // Only the adverse event's create and revise share their body type.
        Assert.All(references, r => Assert.True(r.Value.Count == 1 || r.Key.EndsWith("/AdverseEventBody", StringComparison.Ordinal), $"{r.Key}: {string.Join(", ", r.Value)}"));
    }

    private static readonly string[] Methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"];

    /// <summary>The creating operations of the contract: 201 with the created thing and where it is.</summary>
    public static TheoryData<string> Creations() =>
    [
        "/api/users",
        "/api/trials",
        "/api/trials/{trialId}/sites",
        "/api/trials/{trialId}/participants",
        "/api/trials/{trialId}/participants/{participantId}/visits",
        "/api/trials/{trialId}/participants/{participantId}/adverse-events",
        "/api/trials/{trialId}/randomization-list",
        "/api/trials/{trialId}/randomization-list/import",
        "/api/trials/{trialId}/forms/import",
        "/api/trials/{trialId}/unblinding-requests",
        "/api/trials/{trialId}/safety-summaries",
    ];

    [Fact]
    public async Task OpenApiDocument_GivesEveryOperationAUniqueOperationIdASummaryAndADescription()
    {
        var document = await DocumentAsync();
        var operations = Operations(document).ToList();

        Assert.True(operations.Count >= 55, $"{operations.Count} operations");
        Assert.All(operations, o =>
        {
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("operationId", out var id) ? id.GetString() : null), $"{o.Name}: no operationId");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("summary", out var summary) ? summary.GetString() : null), $"{o.Name}: no summary");
            Assert.False(string.IsNullOrWhiteSpace(o.Operation.TryGetProperty("description", out var text) ? text.GetString() : null), $"{o.Name}: no description");
        });
        var duplicates = operations.GroupBy(o => o.Operation.GetProperty("operationId").GetString()).Where(g => g.Count() > 1).Select(g => g.Key);
        Assert.Empty(duplicates);
    }

    [Fact]
    public async Task OpenApiDocument_ListsHealthAndAccountOperations_AndNotTheJobsDashboard()
    {
        var document = await DocumentAsync();
        var ids = Operations(document).ToDictionary(o => o.Operation.GetProperty("operationId").GetString()!, o => o.Name);

        Assert.Equal("GET /health/live", ids["HealthLive"]);
        Assert.Equal("GET /health/ready", ids["HealthReady"]);
        Assert.Equal("GET /api/me", ids["GetMe"]);
        Assert.Equal("POST /api/auth/login", ids["Login"]);
        Assert.DoesNotContain(document.GetProperty("paths").EnumerateObject(), p => p.Name.StartsWith("/jobs", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OpenApiDocument_GivesEverySuccessResponseItsSchema()
    {
        var document = await DocumentAsync();

        Assert.All(Operations(document), o =>
        {
            var successes = o.Operation.GetProperty("responses").EnumerateObject().Where(r => r.Name.StartsWith('2')).ToList();
            Assert.True(successes.Count > 0, $"{o.Name}: no 2xx response");
            foreach (var success in successes)
            {
                var hasContent = success.Value.TryGetProperty("content", out var content);
                if (success.Name == "204")
                {
                    Assert.False(hasContent, $"{o.Name}: 204 with content");
                    continue;
                }

                // JSON, CSV, HTML or plain text: the content type is declared, and a schema for it.
                Assert.True(hasContent && content.EnumerateObject().Any(), $"{o.Name}: {success.Name} declares no content");
                Assert.All(content.EnumerateObject(), media => Assert.True(media.Value.TryGetProperty("schema", out _), $"{o.Name}: {success.Name} {media.Name} has no schema"));
            }
        });
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresTheProblemResponsesOfEveryOperation()
    {
        var document = await DocumentAsync();

        foreach (var (name, operation) in Operations(document).Where(o => o.Name.Contains(" /api/", StringComparison.Ordinal)))
        {
            var responses = operation.GetProperty("responses");
            var codes = responses.EnumerateObject().Select(r => r.Name).ToHashSet();
            var anonymous = operation.TryGetProperty("security", out var security) && security.GetArrayLength() == 0;
            var parameters = operation.TryGetProperty("parameters", out var list) ? list.EnumerateArray().ToList() : [];
            var hasBody = operation.TryGetProperty("requestBody", out _);

            Assert.Contains("503", codes);
            if (!anonymous)
            {
                Assert.True(codes.IsSupersetOf(["401", "403"]), $"{name}: {string.Join(", ", codes)}");
            }

            if (hasBody)
            {
                Assert.True(codes.IsSupersetOf(["400", "413"]), $"{name}: {string.Join(", ", codes)}");
            }

            if (parameters.Any(p => p.GetProperty("in").GetString() == "path"))
            {
                Assert.True(codes.Contains("404"), $"{name}: {string.Join(", ", codes)}");
            }

            if (parameters.Any(p => p.GetProperty("name").GetString() == "Idempotency-Key"))
            {
                Assert.True(codes.IsSupersetOf(["400", "409", "422"]), $"{name}: {string.Join(", ", codes)}");
            }

            foreach (var problem in responses.EnumerateObject().Where(r => r.Name[0] is '4' or '5'))
            {
                var schema = problem.Value.GetProperty("content").GetProperty("application/problem+json").GetProperty("schema").GetProperty("$ref").GetString();
                var expected = problem.Name == "400" ? "#/components/schemas/HttpValidationProblemDetails" : "#/components/schemas/ProblemDetails";
                Assert.True(schema == expected, $"{name}: {problem.Name} is {schema}");
                Assert.False(string.IsNullOrWhiteSpace(problem.Value.GetProperty("description").GetString()), $"{name}: {problem.Name} has no description");
            }
        }

        var problemSchema = Schema(document, "ProblemDetails");
        Assert.Equal(["status", "title", "type"], problemSchema.GetProperty("required").EnumerateArray().Select(r => r.GetString()!).Order());
        Assert.Contains("errors", Schema(document, "HttpValidationProblemDetails").GetProperty("required").EnumerateArray().Select(r => r.GetString()));
        var login = Operation(document, "post", "/api/auth/login").GetProperty("responses");
        Assert.True(login.TryGetProperty("401", out _) && login.TryGetProperty("429", out var limited) && limited.GetProperty("headers").TryGetProperty("Retry-After", out _));
        Assert.True(Operation(document, "put", "/api/trials/{trialId}/participants/{participantId}/visits/{visitCode}/mrss").GetProperty("responses").TryGetProperty("428", out _));
    }

    [Theory]
    [MemberData(nameof(Creations))]
    public async Task OpenApiDocument_DeclaresCreationsAs201WithTheirBodyAndLocation(string path)
    {
        var document = await DocumentAsync();
        var responses = Operation(document, "post", path).GetProperty("responses");

        Assert.False(responses.TryGetProperty("200", out _), $"POST {path} declares 200");
        var created = responses.GetProperty("201");
        Assert.True(created.GetProperty("content").GetProperty("application/json").GetProperty("schema").TryGetProperty("$ref", out _));
        var location = created.GetProperty("headers").GetProperty("Location");
        Assert.True(location.GetProperty("required").GetBoolean());
    }

    [Fact]
    public async Task OpenApiDocument_DeclaresSignInAndRefreshAnonymous_AndEveryOtherApiOperationBearer()
    {
        var document = await DocumentAsync();
        string[] anonymous = ["POST /api/auth/login", "POST /api/auth/refresh", "GET /health/live", "GET /health/ready"];

        Assert.False(document.TryGetProperty("security", out var global) && global.GetArrayLength() > 0, "a document-wide security requirement");
        foreach (var (name, operation) in Operations(document))
        {
            var security = operation.GetProperty("security");
            if (anonymous.Contains(name))
            {
                Assert.True(security.GetArrayLength() == 0, $"{name}: {security}");
            }
            else
            {
                Assert.True(security.GetArrayLength() == 1 && security[0].TryGetProperty("Bearer", out _), $"{name}: {security}");
            }
        }

        Assert.Equal("bearer", document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer").GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task OpenApiDocument_TypesNumbersAsNumbersAndEnumsWithoutNull()
    {
        var document = await DocumentAsync();
        var problems = new List<string>();

        Walk(document, "#", (path, schema) =>
        {
            var types = Types(schema);
            if ((types.Contains("integer") || types.Contains("number")) && (types.Contains("string") || schema.TryGetProperty("pattern", out _)))
            {
                problems.Add($"{path}: number that allows a string ({schema})");
            }

            if (schema.TryGetProperty("enum", out var values))
            {
                if (values.EnumerateArray().Any(v => v.ValueKind == JsonValueKind.Null) || types.Contains("null"))
                {
                    problems.Add($"{path}: enum with null ({schema})");
                }

                if (!types.SequenceEqual(["string"]))
                {
                    problems.Add($"{path}: enum that is not a string ({schema})");
                }
            }

            if (schema.TryGetProperty("format", out _) && types.Count == 0)
            {
                problems.Add($"{path}: format without a type ({schema})");
            }
        });

        Assert.True(problems.Count == 0, string.Join("\n", problems));
        var page = Operation(document, "get", "/api/users").GetProperty("parameters").EnumerateArray().Single(p => p.GetProperty("name").GetString() == "page");
        Assert.Equal("integer", page.GetProperty("schema").GetProperty("type").GetString());
        Assert.Equal(["Definite", "NotRelated", "Possible", "Probable", "Unlikely"], Schema(document, "Relatedness").GetProperty("enum").EnumerateArray().Select(v => v.GetString()!).Order());
    }

    [Fact]
    public async Task OpenApiDocument_GivesEveryStatusItsValues()
    {
        // A client learns a status's values from the document, as it learns any enum's: no status is a bare string.
        var document = await DocumentAsync();

        var bare = (
            from schema in document.GetProperty("components").GetProperty("schemas").EnumerateObject()
            where schema.Value.TryGetProperty("properties", out var properties) && properties.TryGetProperty("status", out _)
            let status = schema.Value.GetProperty("properties").GetProperty("status")
            where !Types(status).Contains("integer") && !Enumerated(document, status) // a problem's status is its HTTP code
            select $"{schema.Name}.status: {status}").ToList();

        Assert.True(bare.Count == 0, string.Join("\n", bare));
        Assert.True(Enumerated(document, Schema(document, "VisitView").GetProperty("properties").GetProperty("status")));
    }

    private static bool Enumerated(JsonElement document, JsonElement schema) =>
        schema.TryGetProperty("enum", out _)
        || (schema.TryGetProperty("$ref", out var reference) && Enumerated(document, Schema(document, reference.GetString()!.Split('/')[^1])))
        || (schema.TryGetProperty("oneOf", out var alternatives) && alternatives.EnumerateArray().Any(a => Enumerated(document, a)));

    [Theory]
    [InlineData("RegisterParticipantBody", "siteId", "screeningNumber,sex,birthYear")]
    [InlineData("AdverseEventBody", "term,onsetDate,ongoing,grade,serious,relatedness,actionTaken,outcome", "endDate,seriousnessCriteria,expected,awarenessDate,reason")]
    [InlineData("ArmModel", "code,name,ratio", "")]
    [InlineData("CreateTrialCommand", "code,title,arms,visitDefinitions", "eligibilityCriteria,stratificationFactors,sites")]
    [InlineData("RecordVisitBody", "status", "actualDate,missedReason,reason")]
    [InlineData("UpdateUserBody", "", "roles,siteIds,active,displayName,reason")]
    [InlineData("LoginCommand", "email,password", "")]
    public async Task OpenApiDocument_RequiresARequestFieldOnlyWhenTheValidatorsDo(string schemaName, string required, string optional)
    {
        var schema = Schema(await DocumentAsync(), schemaName);
        var declared = schema.TryGetProperty("required", out var list) ? list.EnumerateArray().Select(r => r.GetString()!).ToHashSet() : [];
        var properties = schema.GetProperty("properties");

        Assert.Equal(required.Split(',', StringSplitOptions.RemoveEmptyEntries).Order(), declared.Order());
        foreach (var name in required.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.False(Nullable(properties.GetProperty(name)), $"{schemaName}.{name} is required, yet nullable: {properties.GetProperty(name)}");
        }

        foreach (var name in optional.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(Nullable(properties.GetProperty(name)), $"{schemaName}.{name} is optional, yet not nullable: {properties.GetProperty(name)}");
        }
    }

    [Fact]
    public async Task OpenApiDocument_MakesNoRequiredRequestFieldNullable()
    {
        var document = await DocumentAsync();
        var schemas = document.GetProperty("components").GetProperty("schemas");
        var requestSchemas = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, operation) in Operations(document).Where(o => o.Operation.TryGetProperty("requestBody", out _)))
        {
            Walk(operation.GetProperty("requestBody"), "", (_, s) =>
            {
                if (s.TryGetProperty("$ref", out var reference) && requestSchemas.Add(reference.GetString()!.Split('/')[^1]))
                {
                    Walk(schemas.GetProperty(reference.GetString()!.Split('/')[^1]), "", (_, nested) =>
                    {
                        if (nested.TryGetProperty("$ref", out var inner))
                        {
                            requestSchemas.Add(inner.GetString()!.Split('/')[^1]);
                        }
                    });
                }
            });
        }

        Assert.Contains("ArmModel", requestSchemas);
        Assert.All(requestSchemas, name =>
        {
            var schema = schemas.GetProperty(name);
            foreach (var required in schema.TryGetProperty("required", out var list) ? list.EnumerateArray().ToList() : [])
            {
                Assert.False(Nullable(schema.GetProperty("properties").GetProperty(required.GetString()!)), $"{name}.{required} is required and nullable");
            }
        });
    }

    [Fact]
    public async Task OpenApiDocument_LeavesFieldsLeftOutWhenNullOutOfARequiredResponse()
    {
        var document = await DocumentAsync();

        var participant = Schema(document, "ParticipantView").GetProperty("required").EnumerateArray().Select(r => r.GetString()).ToList();
        Assert.DoesNotContain("arm", participant);
        Assert.Contains("randomizationNumber", participant);
        Assert.Contains("links", participant);
    }

    private async Task<JsonElement> DocumentAsync() => await api.Anonymous().GetJsonAsync("/openapi/v1.json");

    private static IEnumerable<(string Name, JsonElement Operation)> Operations(JsonElement document) =>
        from path in document.GetProperty("paths").EnumerateObject()
        from operation in path.Value.EnumerateObject()
        where Methods.Contains(operation.Name)
        select ($"{operation.Name.ToUpperInvariant()} {path.Name}", operation.Value);

    private static JsonElement Operation(JsonElement document, string method, string path) => document.GetProperty("paths").GetProperty(path).GetProperty(method);

    private static JsonElement Schema(JsonElement document, string name) => document.GetProperty("components").GetProperty("schemas").GetProperty(name);

    private static List<string> Types(JsonElement schema) =>
        !schema.TryGetProperty("type", out var type) ? []
        : type.ValueKind == JsonValueKind.Array ? [.. type.EnumerateArray().Select(t => t.GetString()!)]
        : type.ValueKind == JsonValueKind.String ? [type.GetString()!]
        : [];

    private static bool Nullable(JsonElement schema) =>
        Types(schema).Contains("null")
        || (schema.TryGetProperty("oneOf", out var alternatives) && alternatives.EnumerateArray().Any(a => Types(a).SequenceEqual(["null"])));

    /// <summary>Calls <paramref name="visit"/> with every object of the document that is (or may be) a schema.</summary>
    private static void Walk(JsonElement element, string path, Action<string, JsonElement> visit)
    {
        if (element.ValueKind == JsonValueKind.Object)
        {
            // A schema has a type (a string or an array of them), values, a reference or alternatives; an object of
            // properties may have a property named "type" (of ProblemDetails), whose value is a schema, not a type.
            if ((element.TryGetProperty("type", out var type) && type.ValueKind is JsonValueKind.String or JsonValueKind.Array)
                || (element.TryGetProperty("enum", out var values) && values.ValueKind == JsonValueKind.Array)
                || (element.TryGetProperty("$ref", out var reference) && reference.ValueKind == JsonValueKind.String)
                || (element.TryGetProperty("format", out var format) && format.ValueKind == JsonValueKind.String)
                || (element.TryGetProperty("oneOf", out var alternatives) && alternatives.ValueKind == JsonValueKind.Array))
            {
                visit(path, element);
            }

            foreach (var property in element.EnumerateObject())
            {
                Walk(property.Value, path + "/" + property.Name, visit);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            var index = 0;
            foreach (var item in element.EnumerateArray())
            {
                Walk(item, $"{path}/{index++}", visit);
            }
        }
    }
}

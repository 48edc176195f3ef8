using System.Text.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>
/// Found by the hostile-input drill (bench/drills.sh), which generates requests from the OpenAPI document: every request
/// type named Body or Command shared one schema, so the document described most bodies with another operation's fields.
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
}

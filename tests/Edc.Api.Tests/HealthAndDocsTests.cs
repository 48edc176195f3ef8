using System.Net;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

public sealed class HealthAndDocsTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task HealthLive_IsAnonymousAndHealthy()
    {
        var response = await api.Anonymous().GetAsync("/health/live");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
    }

    [Fact]
    public async Task HealthReady_WhenMigrated_IsHealthy()
    {
        var response = await api.Anonymous().GetAsync("/health/ready");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("Healthy", await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task OpenApiDocument_ListsEveryApiEndpoint()
    {
        var document = await api.Anonymous().GetJsonAsync("/openapi/v1.json");
        var paths = document.GetProperty("paths").EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("/api/auth/login", paths);
        Assert.Contains("/api/users", paths);
        Assert.Contains("/api/trials/{trialId}", paths);
        Assert.Contains("/api/trials/{trialId}/audit", paths);
        Assert.Contains("/api/audit/verification", paths);
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("Bearer");
        Assert.Equal("bearer", scheme.GetProperty("scheme").GetString());
    }

    [Fact]
    public async Task SwaggerUi_IsServed()
    {
        var response = await api.Anonymous().GetAsync("/swagger/index.html");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("swagger", await response.Content.ReadAsStringAsync(), StringComparison.OrdinalIgnoreCase);
    }
}

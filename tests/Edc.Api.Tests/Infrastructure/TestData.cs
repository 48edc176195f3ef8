using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>Steps many tests share: the demonstration trial, users with roles and sites, reading problem bodies.</summary>
public static class TestData
{
    public const string UserPassword = "User-Password-For-Tests";

    public static async Task<JsonElement> JsonAsync(this HttpResponseMessage response) =>
        await response.Content.ReadFromJsonAsync<JsonElement>();

    public static async Task<JsonElement> GetJsonAsync(this HttpClient client, string path)
    {
        var response = await client.GetAsync(path);
        Assert.True(response.IsSuccessStatusCode, $"GET {path} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return await response.JsonAsync();
    }

    public static async Task<Guid> DemoTrialIdAsync(this HttpClient admin)
    {
        var trials = await admin.GetJsonAsync("/api/trials");
        return trials.GetProperty("items").EnumerateArray()
            .Single(t => t.GetProperty("code").GetString() == EdcApiFactory.DemoTrialCode)
            .GetProperty("id").GetGuid();
    }

    public static async Task<Guid> DemoSiteIdAsync(this HttpClient admin)
    {
        var trialId = await admin.DemoTrialIdAsync();
        var sites = await admin.GetJsonAsync($"/api/trials/{trialId}/sites");
        return sites.GetProperty("items")[0].GetProperty("id").GetGuid();
    }

    public static async Task<Guid> AddSiteAsync(this HttpClient admin, Guid trialId, string code)
    {
        var response = await admin.PostAsJsonAsync($"/api/trials/{trialId}/sites", new { code, name = "Site " + code });
        Assert.Equal(HttpStatusCode.Created, response.StatusCode);
        return (await response.JsonAsync()).GetProperty("id").GetGuid();
    }

    /// <summary>Creates a user with the given roles and sites; returns its id and email (password: <see cref="UserPassword"/>).</summary>
    public static async Task<(Guid Id, string Email)> CreateUserAsync(this HttpClient admin, string[] roles, params Guid[] siteIds)
    {
        var email = $"{string.Join('-', roles).ToLowerInvariant()}-{Guid.NewGuid():N}@test.local";
        var response = await admin.PostAsJsonAsync("/api/users", new
        {
            email,
            password = UserPassword,
            displayName = "Test " + string.Join(' ', roles),
            roles,
            siteIds,
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        return ((await response.JsonAsync()).GetProperty("id").GetGuid(), email);
    }

    /// <summary>A signed-in client for a new user with one role, at the given sites.</summary>
    public static async Task<HttpClient> ClientForNewUserAsync(this EdcApiFactory factory, HttpClient admin, string role, params Guid[] siteIds)
    {
        var (_, email) = await admin.CreateUserAsync([role], siteIds);
        return await factory.LoginAsync(email, UserPassword);
    }

    /// <summary>The strong ETag of a record's version, as the API answers it: <c>"3"</c>.</summary>
    public static string ETag(int version) => $"\"{version}\"";

    /// <summary>The ETag a response answered (e.g. <c>"3"</c>); null without one.</summary>
    public static string? ETagOf(HttpResponseMessage response) => response.Headers.ETag?.Tag;

    /// <summary>PUTs <paramref name="body"/> as JSON (camelCase unless <paramref name="options"/> say otherwise) with <c>If-Match: <paramref name="ifMatch"/></c> (none when null), the answer buffered.</summary>
    public static async Task<HttpResponseMessage> PutWithIfMatchAsync(this HttpClient client, string path, object body, string? ifMatch, JsonSerializerOptions? options = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Put, path) { Content = JsonContent.Create(body, options: options) };
        if (ifMatch is not null)
        {
            request.Headers.TryAddWithoutValidation("If-Match", ifMatch);
        }

        var response = await client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public static async Task AssertProblemAsync(this HttpResponseMessage response, HttpStatusCode status)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(status == response.StatusCode, $"Expected {(int)status}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal((int)status, problem.RootElement.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("type").GetString()));
        Assert.False(string.IsNullOrEmpty(problem.RootElement.GetProperty("title").GetString()));
        Assert.DoesNotContain("   at ", body, StringComparison.Ordinal);
    }
}

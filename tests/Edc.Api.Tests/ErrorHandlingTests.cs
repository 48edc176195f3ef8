using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Mvc.Testing;

namespace Edc.Api.Tests;

/// <summary>Every error is an RFC 9457 problem body with the contract's status, and nothing of the server leaks.</summary>
public sealed class ErrorHandlingTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    private const int OneMegabyte = 1024 * 1024;
    private static readonly string[] MrssOnly = ["Mrss"];

    [Theory]
    [InlineData("/api/does-not-exist")]
    [InlineData("/api/trials/not-a-guid")]
    [InlineData("/nothing/here")]
    public async Task UnknownRoute_WhenAnonymous_Returns404Problem(string path)
    {
        await (await api.Anonymous().GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("/api/does-not-exist")]
    [InlineData("/api/trials/not-a-guid")]
    public async Task UnknownRoute_WhenAuthenticated_Returns404Problem(string path)
    {
        var admin = await api.AdminAsync();
        await (await admin.GetAsync(path)).AssertProblemAsync(HttpStatusCode.NotFound);
        await (await admin.PostAsJsonAsync(path, new { })).AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{ \"code\": ")]
    [InlineData("not json at all")]
    [InlineData("{ \"code\": \"X\", }")]
    [InlineData("")]
    [InlineData("null")]
    [InlineData("[]")]
    public async Task CreateTrial_WhenBodyIsMalformedJson_Returns400Problem(string body)
    {
        var admin = await api.AdminAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await (await admin.PostAsync("/api/trials", content)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateTrial_WhenJsonIsNestedTooDeeply_Returns400Problem()
    {
        var admin = await api.AdminAsync();
        var body = "{ \"code\": \"DEEP\", \"extra\": " + new string('[', 100) + new string(']', 100) + " }";
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        await (await admin.PostAsync("/api/trials", content)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task CreateTrial_WhenFieldHasWrongJsonType_Returns400WithFieldError()
    {
        var admin = await api.AdminAsync();
        const string body = """
            { "code": "WRONGTYPE", "title": "T",
              "arms": [ { "code": "A", "name": "Arm A", "ratio": "abc" }, { "code": "B", "name": "Arm B", "ratio": 1 } ],
              "visitDefinitions": [ { "code": "D0", "name": "Day 0", "day": 0, "windowBefore": 0, "windowAfter": 0, "procedures": [] } ] }
            """;
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/trials", content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        var errors = (await response.JsonAsync()).GetProperty("errors");
        Assert.Equal(JsonValueKind.Object, errors.ValueKind);
        Assert.True(errors.TryGetProperty("arms[0].ratio", out _), "errors: " + errors.GetRawText());
        Assert.DoesNotContain("abc", errors.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refusals_ByAuthenticationAndAuthorization_AreEdcProblemsWithADetail()
    {
        // The framework answers these before any handler runs; they still speak Edc's vocabulary.
        var admin = await api.AdminAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, "Coordinator", await admin.DemoSiteIdAsync());

        var anonymous = await api.Anonymous().GetAsync("/api/me");
        var forbidden = await coordinator.GetAsync("/api/users");

        await anonymous.AssertProblemAsync(HttpStatusCode.Unauthorized);
        await forbidden.AssertProblemAsync(HttpStatusCode.Forbidden);
        var unauthorized = await anonymous.JsonAsync();
        var refused = await forbidden.JsonAsync();
        Assert.Equal("urn:edc:problem:unauthorized", unauthorized.GetProperty("type").GetString());
        Assert.Contains("Bearer", unauthorized.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal("urn:edc:problem:forbidden", refused.GetProperty("type").GetString());
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task CreateTrial_WhenBodyIsNotJson_Returns415ProblemAndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var before = await TrialCountAsync(admin);
        using var content = new StringContent("code=X", Encoding.UTF8, "text/plain");

        var response = await admin.PostAsync("/api/trials", content);

        await response.AssertProblemAsync(HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("application/json", (await response.JsonAsync()).GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.Equal(before, await TrialCountAsync(admin));
    }

    [Theory]
    [InlineData("DELETE", "/api/trials", "GET, POST")]
    [InlineData("PUT", "/api/me", "GET")]
    [InlineData("DELETE", "/api/trials/3fa85f64-5717-4562-b3fc-2c963f66afa6", "GET")]
    public async Task KnownRoute_WhenMethodIsNotMapped_Returns405ProblemWithAllow(string method, string path, string allowed)
    {
        var admin = await api.AdminAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await admin.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.MethodNotAllowed);
        Assert.Equal(allowed, string.Join(", ", response.Content.Headers.Allow));
    }

    [Theory]
    [InlineData("GET", "/api/no-such-thing")]
    [InlineData("DELETE", "/api/trials/not-a-guid")]
    public async Task UnknownRoute_WhateverTheMethod_Returns404Problem(string method, string path)
    {
        // A path no route takes (a route's constraints included) is unknown, whatever the method.
        var admin = await api.AdminAsync();
        using var request = new HttpRequestMessage(new HttpMethod(method), path);

        var response = await admin.SendAsync(request);

        await response.AssertProblemAsync(HttpStatusCode.NotFound);
    }

    [Theory]
    [InlineData("{}")]
    [InlineData("""{ "code": "NULLS", "title": "T" }""")]
    [InlineData("""{ "code": "NULLS", "title": "T", "arms": null, "visitDefinitions": null }""")]
    [InlineData("""{ "code": "NULLS", "title": "T", "arms": [null, null], "visitDefinitions": [null] }""")]
    [InlineData("""{ "code": "NULLS", "title": "T", "arms": [{ "code": "A", "name": "A", "ratio": 1 }, { "code": "B", "name": "B", "ratio": 1 }], "visitDefinitions": [{ "code": "D0", "name": "D0", "day": 0, "windowBefore": 0, "windowAfter": 0, "procedures": null }], "eligibilityCriteria": [null], "stratificationFactors": [null, { "code": "F", "name": "F", "levels": null }], "sites": [null] }""")]
    public async Task CreateTrial_WhenPartsAreMissingOrNull_Returns400Problem(string body)
    {
        var admin = await api.AdminAsync();
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        var response = await admin.PostAsync("/api/trials", content);
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.Equal(JsonValueKind.Object, (await response.JsonAsync()).GetProperty("errors").ValueKind);
    }

    [Fact]
    public async Task CreateTrial_WhenFieldsInvalid_Returns400WithCamelCaseFieldErrors()
    {
        var admin = await api.AdminAsync();
        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code = string.Empty,
            title = "A trial with one arm",
            arms = new[] { new { code = "A", name = string.Empty, ratio = 1 } },
            visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = Array.Empty<string>() } },
        });
        await response.AssertProblemAsync(HttpStatusCode.BadRequest);

        var errors = (await response.JsonAsync()).GetProperty("errors");
        var keys = errors.EnumerateObject().Select(p => p.Name).ToList();
        Assert.Contains("code", keys);
        Assert.Contains("arms", keys);
        Assert.Contains("arms[0].name", keys);
        Assert.DoesNotContain("title", keys);
        Assert.All(keys, key => Assert.False(char.IsUpper(key[0]), $"'{key}' is not camelCase"));
        Assert.All(errors.EnumerateObject(), p => Assert.True(p.Value.GetArrayLength() > 0 && p.Value[0].GetString()!.Length > 0));
    }

    [Fact]
    public async Task CreateTrial_WhenBodyOverOneMegabyte_Returns413AndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var before = await TrialCountAsync(admin);
        var code = "BIG-" + Guid.NewGuid().ToString("N")[..8];
        using var content = new StringContent(TrialJson(code, OneMegabyte * 3 / 2), Encoding.UTF8, "application/json");
        Assert.True(content.Headers.ContentLength > OneMegabyte);
        // As a careful client sends a large body: the server refuses it by its length before it is sent. Without this, the
        // server's answer and its closing of the connection can race the upload, and the client sees a broken pipe.
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/trials") { Content = content };
        request.Headers.ExpectContinue = true;

        await (await admin.SendAsync(request)).AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, await TrialCountAsync(admin));
    }

    [Fact]
    public async Task CreateTrial_WhenChunkedBodyOverOneMegabyte_Returns413AndCreatesNothing()
    {
        var admin = await api.AdminAsync();
        var before = await TrialCountAsync(admin);
        var code = "CHUNKED-" + Guid.NewGuid().ToString("N")[..8];
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(TrialJson(code, OneMegabyte * 3 / 2)));
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/trials") { Content = content };

        var response = await StreamingClient(admin).SendAsync(request);
        Assert.Null(request.Content.Headers.ContentLength);
        await response.AssertProblemAsync(HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal(before, await TrialCountAsync(admin));
    }

    [Fact]
    public async Task CreateTrial_WhenBodyUnderOneMegabyte_IsAccepted()
    {
        // The same padded body, smaller: proves the 413 above comes from the size alone.
        var admin = await api.AdminAsync();
        using var content = new ChunkedContent(Encoding.UTF8.GetBytes(TrialJson("SMALL-" + Guid.NewGuid().ToString("N")[..8], OneMegabyte / 2)));
        var response = await StreamingClient(admin).PostAsync("/api/trials", content);
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        Assert.Null(content.Headers.ContentLength);
    }

    [Theory]
    [InlineData("pageSize=1000", 1, 200)]
    [InlineData("pageSize=201", 1, 200)]
    [InlineData("pageSize=0", 1, 1)]
    [InlineData("pageSize=-5", 1, 1)]
    [InlineData("page=0", 1, 50)]
    [InlineData("page=-1&pageSize=0", 1, 1)]
    [InlineData("page=2147483647", 2147483647, 50)]
    [InlineData("page=2147483647&pageSize=200", 2147483647, 200)]
    public async Task ListUsers_WhenPagingOutOfRange_ClampsPagingAndAnswers200(string query, int expectedPage, int expectedPageSize)
    {
        var admin = await api.AdminAsync();
        var response = await admin.GetAsync("/api/users?" + query);
        Assert.True(response.StatusCode == HttpStatusCode.OK, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");

        var page = await response.JsonAsync();
        Assert.Equal(expectedPage, page.GetProperty("page").GetInt32());
        Assert.Equal(expectedPageSize, page.GetProperty("pageSize").GetInt32());
        Assert.True(page.GetProperty("items").GetArrayLength() <= expectedPageSize);
        Assert.True(page.GetProperty("total").GetInt32() >= 1);
    }

    [Theory]
    [InlineData("pageSize=abc")]
    [InlineData("page=1.5")]
    [InlineData("page=99999999999")]
    public async Task ListUsers_WhenPagingIsNotANumber_Returns400Problem(string query)
    {
        var admin = await api.AdminAsync();
        await (await admin.GetAsync("/api/users?" + query)).AssertProblemAsync(HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task ProtectedEndpoint_WhenAnonymous_Returns401Problem()
    {
        await (await api.Anonymous().GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Unauthorized);
        await (await api.Anonymous().PostAsJsonAsync("/api/trials", new { })).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task ProtectedEndpoint_WhenTokenIsInvalid_Returns401Problem()
    {
        var client = api.Anonymous();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "not-a-token");
        await (await client.GetAsync("/api/me")).AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Login_WhenPasswordIsWrong_Returns401Problem()
    {
        var response = await api.Anonymous().PostAsJsonAsync("/api/auth/login", new { email = EdcApiFactory.AdminEmail, password = "wrong-password-123" });
        await response.AssertProblemAsync(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task AdminEndpoint_WhenRoleMayNotCallIt_Returns403Problem()
    {
        var admin = await api.AdminAsync();
        var coordinator = await api.ClientForNewUserAsync(admin, Roles.Coordinator, await admin.DemoSiteIdAsync());
        await (await coordinator.GetAsync("/api/users")).AssertProblemAsync(HttpStatusCode.Forbidden);
        await (await coordinator.PostAsJsonAsync("/api/trials", new { })).AssertProblemAsync(HttpStatusCode.Forbidden);
    }

    /// <summary>
    /// A client signed in like <paramref name="signedIn"/> that sends bodies as they are: the factory's default client
    /// buffers request bodies (to replay them on redirects), which would turn a chunked body into one with a length.
    /// </summary>
    private HttpClient StreamingClient(HttpClient signedIn)
    {
        var client = api.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false, BaseAddress = signedIn.BaseAddress! });
        client.DefaultRequestHeaders.Authorization = signedIn.DefaultRequestHeaders.Authorization;
        return client;
    }

    private static async Task<int> TrialCountAsync(HttpClient admin) =>
        (await admin.GetJsonAsync("/api/trials")).GetProperty("total").GetInt32();

    /// <summary>A valid trial definition, padded to about <paramref name="size"/> bytes by a property the API ignores.</summary>
    private static string TrialJson(string code, int size) => JsonSerializer.Serialize(new
    {
        code,
        title = "A padded trial",
        arms = new[] { new { code = "A", name = "Arm A", ratio = 1 }, new { code = "B", name = "Arm B", ratio = 1 } },
        visitDefinitions = new[] { new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = MrssOnly } },
        padding = new string('x', size),
    });

    /// <summary>A body of unknown length: sent with chunked transfer encoding, no Content-Length.</summary>
    private sealed class ChunkedContent : HttpContent
    {
        private readonly byte[] _bytes;

        public ChunkedContent(byte[] bytes)
        {
            _bytes = bytes;
            Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        }

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context)
        {
            for (var offset = 0; offset < _bytes.Length; offset += 64 * 1024)
            {
                await stream.WriteAsync(_bytes.AsMemory(offset, Math.Min(64 * 1024, _bytes.Length - offset)));
            }
        }

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}

/// <summary>
/// An unexpected server error (here: a table gone from under the API) answers a bare 500 problem. A class of its own,
/// so the broken database is this class's alone.
/// </summary>
public sealed class BrokenDatabaseErrorHandlingTests(EdcApiFactory api) : IClassFixture<EdcApiFactory>
{
    [Fact]
    public async Task ListSites_WhenDatabaseQueryFails_Returns500ProblemWithoutInternals()
    {
        var admin = await api.AdminAsync();
        var trialId = await admin.DemoTrialIdAsync();
        await admin.GetJsonAsync($"/api/trials/{trialId}/sites");

        await ExecuteAsync("ALTER TABLE sites RENAME TO sites_broken");
        try
        {
            var response = await admin.GetAsync($"/api/trials/{trialId}/sites");
            await response.AssertProblemAsync(HttpStatusCode.InternalServerError);
            var body = await response.Content.ReadAsStringAsync();
            foreach (var leak in new[] { "Npgsql", "Postgres", "sites_broken", "42P01", "relation", "SELECT", " at ", "Exception", ".cs:line" })
            {
                Assert.DoesNotContain(leak, body, StringComparison.OrdinalIgnoreCase);
            }

            // Not shown, but logged for the operators.
            Assert.Contains(api.Logs.Lines, line => line.StartsWith("Error Edc.Api.Common.ProblemMapping", StringComparison.Ordinal) && line.Contains("42P01", StringComparison.Ordinal));
        }
        finally
        {
            await ExecuteAsync("ALTER TABLE sites_broken RENAME TO sites");
        }

        await admin.GetJsonAsync($"/api/trials/{trialId}/sites");
    }

    private Task ExecuteAsync(string sql) => Sql.ExecuteAsync(api.ConnectionString, sql);
}

using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// The API on a real Kestrel server over a database of its own. A test class gets one through
/// <c>IClassFixture&lt;EdcApiFactory&gt;</c>; two factories given one connection string are two API instances.
/// </summary>
public class EdcApiFactory : WebApplicationFactory<Program>, IAsyncLifetime
{
    public const string AdminEmail = "admin@test.local";
    public const string AdminPassword = "Admin-Password-For-Tests";
    public const string DemoTrialCode = "BELIMUMAB-DCSSC";

    private readonly Dictionary<string, string?> _settings = new()
    {
        ["Edc:Bootstrap:AdminEmail"] = AdminEmail,
        ["Edc:Bootstrap:AdminPassword"] = AdminPassword,
        ["Edc:TrialDefinitions:LoadAtStartup"] = "true",
        ["Edc:RateLimits:LoginPermitsPerMinute"] = "1000",

        // No background jobs unless a test turns them on.
        ["Edc:Scheduler:Enabled"] = "false",
    };

    public EdcApiFactory()
    {
        UseKestrel(0);
    }

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Log lines the API wrote, for tests that check what leaves the system through the log.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>Uses an existing database instead of a new one: a second API instance on the first one's data.</summary>
    public EdcApiFactory WithConnectionString(string connectionString)
    {
        ConnectionString = connectionString;
        return this;
    }

    public EdcApiFactory WithSetting(string key, string? value)
    {
        _settings[key] = value;
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            ConnectionString = await TestDatabaseServer.CreateDatabaseAsync();
        }

        StartServer();
    }

    Task IAsyncLifetime.DisposeAsync() => DisposeAsync().AsTask();

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Edc", ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
    }

    public HttpClient Anonymous() => CreateClient();

    public async Task<HttpClient> LoginAsync(string email, string password)
    {
        var client = CreateClient();
        var response = await client.PostAsJsonAsync("/api/auth/login", new { email, password });
        response.EnsureSuccessStatusCode();
        var tokens = await response.Content.ReadFromJsonAsync<Tokens>();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", tokens!.AccessToken);
        return client;
    }

    public Task<HttpClient> AdminAsync() => LoginAsync(AdminEmail, AdminPassword);

    public sealed record Tokens(string TokenType, string AccessToken, long ExpiresIn, string RefreshToken);
}

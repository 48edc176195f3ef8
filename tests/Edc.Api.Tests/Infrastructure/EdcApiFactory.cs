using System.Net.Http.Headers;
using System.Net.Http.Json;
using Edc.Infrastructure;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.Extensions.Logging;
using Npgsql;

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
        // Tests sign in wrongly by the hundred from one address; SignInLimitTests set limits of their own.
        ["Edc:RateLimits:FailedSignInsPerAddress"] = "100000",
        ["Edc:RateLimits:FailedSignInsPerAccount"] = "100000",

        // No job server unless a test turns it on.
        ["Edc:JobServer:Enabled"] = "false",
    };

    public EdcApiFactory()
    {
        UseKestrel(0);
    }

    public string ConnectionString { get; private set; } = string.Empty;

    /// <summary>Log lines the API wrote, for tests that check what leaves the system through the log.</summary>
    public CapturedLogs Logs { get; } = new();

    /// <summary>What OpenTelemetry exported, once <see cref="WithTelemetry"/> turned it on; null otherwise.</summary>
    public CapturedTelemetry? Telemetry { get; private set; }

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

    /// <summary>Turns OpenTelemetry on, exporting over OTLP to a collector of the test's own.</summary>
    public EdcApiFactory WithTelemetry()
    {
        Telemetry = new CapturedTelemetry();
        return this;
    }

    public virtual async Task InitializeAsync()
    {
        if (ConnectionString.Length == 0)
        {
            ConnectionString = await TestDatabaseServer.CreateDatabaseAsync();
        }

        if (Telemetry is not null)
        {
            foreach (var (key, value) in await Telemetry.StartAsync())
            {
                _settings[key] = value;
            }
        }

        StartServer();
    }

    async Task IAsyncLifetime.DisposeAsync()
    {
        await DisposeAsync();

        // The database is this class's alone: its idle pooled connections (the API's and Hangfire's) would otherwise stay
        // open for minutes, and the test run's classes together would exhaust the server's connections.
        NpgsqlConnection.ClearPool(new NpgsqlConnection(InfrastructureServices.ForApplicationPool(ConnectionString)));
        NpgsqlConnection.ClearPool(new NpgsqlConnection(ConnectionString));
        if (Telemetry is not null)
        {
            await Telemetry.DisposeAsync();
        }
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        builder.UseEnvironment("Testing");
        builder.UseSetting("ConnectionStrings:Edc", ConnectionString);
        foreach (var (key, value) in _settings)
        {
            builder.UseSetting(key, value);
        }

        builder.ConfigureLogging(logging => logging.AddProvider(Logs));
        if (Telemetry is not null)
        {
            builder.ConfigureServices(Telemetry.AddCapture);
        }
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

/// <summary>An API instance with OpenTelemetry on, exporting to a collector of the test's own (<see cref="CapturedTelemetry"/>).</summary>
public sealed class EdcApiWithTelemetry : EdcApiFactory
{
    public EdcApiWithTelemetry() => WithTelemetry();
}

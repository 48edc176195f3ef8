using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Npgsql;

namespace Edc.Bench;

/// <summary>One trial with its site, list and enrolled participants (in allocation order).</summary>
internal sealed record BenchTrial(Guid Id, Guid SiteId, IReadOnlyList<Guid> Participants);

internal sealed record BenchSetup(BenchTrial ApiTrial, BenchTrial PlainTrial, string CoordinatorToken);

/// <summary>
/// Users, trials and lists through the API as an operator would create them; the enrolled participants directly
/// in SQL (registering and enrolling thousands through the API would take longer than the measurement).
/// </summary>
internal static class Setup
{
    public const string PlainTrialCode = "BENCH-PLAIN-SQL";
    private const string UserPassword = "Bench-User-Password-2026";

    public static async Task<BenchSetup> RunAsync(Uri baseAddress, string connectionString, string root, BenchOptions options, CancellationToken ct)
    {
        using var admin = await SignedInClientAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        var trials = await GetAsync(admin, "/api/trials", ct);
        var demoTrial = trials.GetProperty("items").EnumerateArray().Single(t => t.GetProperty("code").GetString() == "BELIMUMAB-DCSSC").GetProperty("id").GetGuid();
        var demoSite = await FirstSiteAsync(admin, demoTrial, ct);

        // The twin: the same definition under another code, on the same database.
        var definition = JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(root, "src", "Edc.Api", "TrialDefinitions", "belimumab-dcssc.json"), ct))!;
        definition["code"] = PlainTrialCode;
        var plainTrial = (await PostAsync(admin, "/api/trials", definition, ct)).GetProperty("id").GetGuid();
        var plainSite = await FirstSiteAsync(admin, plainTrial, ct);

        await PostAsync(admin, "/api/users", new
        {
            email = "bench-coordinator@edc.local",
            password = UserPassword,
            displayName = "Benchmark coordinator",
            roles = new[] { "Coordinator" },
            // The MRSS workload randomizes the plain trial's participants through the API too.
            siteIds = options.Workload == "mrss" ? new[] { demoSite, plainSite } : new[] { demoSite },
        }, ct);
        await PostAsync(admin, "/api/users", new
        {
            email = "bench-statistician@edc.local",
            password = UserPassword,
            displayName = "Benchmark statistician",
            roles = new[] { "UnblindedStatistician" },
            siteIds = Array.Empty<Guid>(),
        }, ct);

        using var statistician = await SignedInClientAsync(baseAddress, "bench-statistician@edc.local", UserPassword, ct);
        foreach (var trial in new[] { demoTrial, plainTrial })
        {
            await PostAsync(statistician, $"/api/trials/{trial}/randomization-list", new { seed = 20261121, blockSizes = new[] { 2, 4 }, slotsPerStratum = options.Slots }, ct);
        }

        using var coordinator = await SignedInClientAsync(baseAddress, "bench-coordinator@edc.local", UserPassword, ct);
        var count = options.Warmup + options.Requests;
        return new BenchSetup(
            new BenchTrial(demoTrial, demoSite, await EnrollAsync(connectionString, demoTrial, demoSite, count, ct)),
            // The MRSS workload runs its plain twin twice (Npgsql's defaults, then prepared statements): twice the participants.
            new BenchTrial(plainTrial, plainSite, await EnrollAsync(connectionString, plainTrial, plainSite, options.Workload == "mrss" ? 2 * count : count, ct)),
            coordinator.DefaultRequestHeaders.Authorization!.Parameter!);
    }

    /// <summary>Enrolled participants without strata (the trial has none): every NOT NULL column filled.</summary>
    private static async Task<IReadOnlyList<Guid>> EnrollAsync(string connectionString, Guid trialId, Guid siteId, int count, CancellationToken ct)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(ct);
        await using var command = new NpgsqlCommand(
            """
            INSERT INTO participants (id, trial_id, site_id, screening_number, sex, birth_year, status, registered_at, consent_date,
                                      eligibility, strata, stratum_key, enrolled_at)
            SELECT gen_random_uuid(), @trial, @site, 'BENCH-' || lpad(g::text, 6, '0'), 'F', 1970, 'Enrolled', now(), current_date,
                   '{}'::jsonb, '{}'::jsonb, '', now()
            FROM generate_series(1, @count) AS g
            RETURNING id, screening_number
            """,
            connection);
        command.Parameters.AddWithValue("trial", trialId);
        command.Parameters.AddWithValue("site", siteId);
        command.Parameters.AddWithValue("count", count);
        var rows = new List<(string Number, Guid Id)>();
        await using (var reader = await command.ExecuteReaderAsync(ct))
        {
            while (await reader.ReadAsync(ct))
            {
                rows.Add((reader.GetString(1), reader.GetGuid(0)));
            }
        }

        return [.. rows.OrderBy(r => r.Number, StringComparer.Ordinal).Select(r => r.Id)];
    }

    public static async Task<HttpClient> SignedInClientAsync(Uri baseAddress, string email, string password, CancellationToken ct)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };
        var token = (await PostAsync(client, "/api/auth/login", new { email, password }, ct)).GetProperty("accessToken").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    private static async Task<Guid> FirstSiteAsync(HttpClient admin, Guid trialId, CancellationToken ct) =>
        (await GetAsync(admin, $"/api/trials/{trialId}/sites", ct)).GetProperty("items")[0].GetProperty("id").GetGuid();

    private static async Task<JsonElement> GetAsync(HttpClient client, string path, CancellationToken ct)
    {
        using var response = await client.GetAsync(new Uri(path, UriKind.Relative), ct);
        return await ReadAsync(response, "GET " + path, ct);
    }

    private static async Task<JsonElement> PostAsync<T>(HttpClient client, string path, T body, CancellationToken ct)
    {
        using var response = await client.PostAsJsonAsync(new Uri(path, UriKind.Relative), body, ct);
        return await ReadAsync(response, "POST " + path, ct);
    }

    private static async Task<JsonElement> ReadAsync(HttpResponseMessage response, string request, CancellationToken ct)
    {
        var body = await response.Content.ReadAsStringAsync(ct);
        if (!response.IsSuccessStatusCode)
        {
            throw new BenchException($"{request} answered {(int)response.StatusCode}: {body}");
        }

        using var document = JsonDocument.Parse(body);
        return document.RootElement.Clone();
    }
}

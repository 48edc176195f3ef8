using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace Edc.Api.Tests;

/// <summary>
/// Blinding on every path. A trial with arm codes and names that cannot occur by accident is randomized; then every
/// GET endpoint of the route table is called, as each blinded role, with real ids, filters and unknown ids, and no
/// response (success or error), header or log line may contain an arm code, an arm name, the masked group key or the
/// list's seed (from which the whole list can be regenerated); nor may anything the API's telemetry exports.
/// <para>
/// Two things are allowed by the contract and excluded on purpose: the protocol definition
/// (<c>GET /api/trials/{trialId}</c> lists arm codes and names: arm names are public, assignments are not), and audit
/// rows of entity type <c>TrialArm</c> (the trial's definition being created). Nothing else is exempt.
/// </para>
/// </summary>
public sealed partial class BlindingTests(EdcApiWithTelemetry api) : IClassFixture<EdcApiWithTelemetry>
{
    /// <summary>Distinctive like the arm strings: with the seed and the (public) algorithm, anyone can regenerate the list.</summary>
    private const long Seed = 7319046628;

    private const string ProtocolDefinition = "/api/trials/{trialId}";
    private const string EmergencyReason = "Suspected anaphylaxis after the second infusion";

    /// <summary>JSON properties that would carry an assignment, wherever they appear in a blinded response.</summary>
    private static readonly HashSet<string> AssignmentProperties = new(StringComparer.OrdinalIgnoreCase)
    {
        "arm", "armCode", "armName", "armId", "groupKey", "group", "maskedGroup", "assignment", "treatment", "treatmentArm", "allocation",
    };

    /// <summary>Queries tried on every collection endpoint (one whose path does not end in a parameter); unknown ones are ignored by the API.</summary>
    private static readonly string[] CollectionQueries =
    [
        "", "?pageSize=200", "?page=2&pageSize=1", "?pageSize=abc", "?status=Randomized", "?status=Withdrawn", "?status=NotAStatus",
        "?siteId={siteA}", "?siteId={siteB}", "?siteId={unknown}", "?siteId={siteA}&status=Randomized&pageSize=200",
        "?entityType=Participant&pageSize=200", "?entityType=RandomizationSlot&pageSize=200", "?entityType=RandomizationList&pageSize=200",
        "?entityType=UnblindingRequest&pageSize=200", "?entityType=Trial&pageSize=200", "?entityId={participant}&pageSize=200",
        "?userId={statistician}&pageSize=200", "?from=2000-01-01T00:00:00Z&to=2100-01-01T00:00:00Z&pageSize=200", "?serious=true",
        "?serious=false&pageSize=200", "?participantId={participant}", "?status=Due", "?status=Overdue&pageSize=200",
        "?from=2026-01-01&to=2027-12-31",
    ];

    private static readonly string[] ItemQueries = ["", "?pageSize=200"];

    private static readonly ConditionalWeakTable<EdcApiFactory, Task<Scenario>> Scenarios = new();

    [Fact]
    public async Task GetEndpoints_WhenWalkedByEachBlindedRole_RevealNoArmGroupKeyOrSeed()
    {
        var s = await ScenarioAsync();

        var walk = await WalkAsync(s, s.BlindedWalkers);

        Assert.True(
            walk.Problems.Count == 0,
            $"Blinding broken or walk incomplete ({walk.Problems.Count} findings, unwalked endpoints first):\n" + string.Join("\n", walk.Problems.Take(60)));

        // The walk is not vacuous: every walker saw randomized participants, and it covered the endpoints that carry them.
        foreach (var walker in s.BlindedWalkers)
        {
            var page = await walker.Client.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants?pageSize=200&status=Randomized");
            Assert.True(page.GetProperty("total").GetInt32() >= 2, walker.Name + " saw no randomized participant");
            Assert.True(walk.Successes[walker.Name] >= 10, $"{walker.Name} got only {walk.Successes[walker.Name]} successful answers");
        }

        Assert.Contains("/api/trials/{trialId}/participants/{participantId}", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/participants", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/audit", walk.Templates);
        Assert.Contains("/api/audit", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/unblinding-requests", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/randomization-list", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/safety-summaries/{summaryId}/report", walk.Templates);
        Assert.Contains("/api/trials/{trialId}/analyses/primary/report", walk.Templates);
        Assert.Contains("/trials/{trialId}/analyses/primary", walk.Templates);

        // Nothing the API logged, during set-up or the walk, names an arm or the seed.
        var seed = Seed.ToString(CultureInfo.InvariantCulture);
        var leakingLines = api.Logs.Lines
            .Where(line => DistinctiveTrial.ArmStrings.Append(seed).Any(secret => line.Contains(secret, StringComparison.OrdinalIgnoreCase)))
            .ToList();
        Assert.True(leakingLines.Count == 0, "Log lines naming an arm or the seed:\n" + string.Join("\n", leakingLines.Take(20)));

        // Nor did its telemetry (spans, metrics and log records, as sent over OTLP), which names no password and no
        // clinical text either; the walk's own spans are there, so the search is not vacuous.
        CapturedTelemetry.Flush(api.Services);
        var exported = api.Telemetry!.ReceivedText();
        Assert.Contains("/api/trials/{trialId:guid}/participants/{participantId:guid}", exported, StringComparison.Ordinal);
        string[] secrets = [.. DistinctiveTrial.ArmStrings, seed, EdcApiFactory.AdminPassword, TestData.UserPassword, EmergencyReason];
        Assert.All(secrets, secret => Assert.DoesNotContain(secret, exported, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task GetEndpoints_WhenWalkedByStatisticianAndPharmacist_FindArms()
    {
        // The detector of the walk is live: callers who may see arms do see them, through the participant and list endpoints.
        var s = await ScenarioAsync();

        var walk = await WalkAsync(s, [new Walker("UnblindedStatistician", s.Statistician), new Walker("Pharmacist of site A", s.PharmacistA)]);

        Assert.Contains(walk.Problems, p => p.StartsWith("UnblindedStatistician GET /api/trials/{trialId}/randomization-list", StringComparison.Ordinal));
        Assert.Contains(walk.Problems, p => p.StartsWith("UnblindedStatistician GET /api/trials/{trialId}/participants/{participantId}", StringComparison.Ordinal));
        Assert.Contains(walk.Problems, p => p.StartsWith("Pharmacist of site A GET /api/trials/{trialId}/participants/{participantId}", StringComparison.Ordinal));
        Assert.Contains(walk.Problems, p => p.StartsWith("Pharmacist of site A GET /api/trials/{trialId}/participants ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task GetTrial_WhenBlindedRole_ListsArmCodesAndNamesAsTheProtocolDefinition()
    {
        // The one documented exception: the definition names the arms, never who is on which.
        var s = await ScenarioAsync();
        var definition = await s.BlindedWalkers[0].Client.GetJsonAsync($"/api/trials/{s.Trial.Id}");
        var arms = definition.GetProperty("arms").EnumerateArray().Select(a => (a.GetProperty("code").GetString(), a.GetProperty("name").GetString())).ToList();
        Assert.Equal([(DistinctiveTrial.ActiveCode, DistinctiveTrial.ActiveName), (DistinctiveTrial.PlaceboCode, DistinctiveTrial.PlaceboName)], arms);
    }

    [Fact]
    public async Task GetParticipant_WhenPharmacistOfTheSite_ShowsTheArmOfOwnSiteParticipants()
    {
        var s = await ScenarioAsync();

        foreach (var id in s.RandomizedA)
        {
            var view = await s.PharmacistA.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants/{id}");
            var arm = view.GetProperty("arm");
            Assert.Equal(s.ArmOf[id], arm.GetProperty("code").GetString());
            Assert.Equal(DistinctiveTrial.ArmNames[s.ArmOf[id]], arm.GetProperty("name").GetString());
        }

        // In the list too, and only for randomized participants: there is no arm before randomization.
        var page = await s.PharmacistA.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants?pageSize=200");
        var items = page.GetProperty("items").EnumerateArray().ToList();
        Assert.All(items, p => Assert.Equal(s.Trial.Sites["ZA"], p.GetProperty("siteId").GetGuid()));
        Assert.Equal(s.ParticipantsA.Order(), items.Select(p => p.GetProperty("id").GetGuid()).Order());
        foreach (var item in items)
        {
            var id = item.GetProperty("id").GetGuid();
            if (s.ArmOf.TryGetValue(id, out var code))
            {
                Assert.Equal(code, item.GetProperty("arm").GetProperty("code").GetString());
            }
            else
            {
                Assert.False(item.TryGetProperty("arm", out _), $"participant {id} is not randomized but shows an arm");
            }
        }

        // Another site's participants do not exist for this pharmacist.
        foreach (var id in s.ParticipantsB)
        {
            var response = await s.PharmacistA.GetAsync($"/api/trials/{s.Trial.Id}/participants/{id}");
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
            AssertNoArmStrings(await response.Content.ReadAsStringAsync());
        }
    }

    [Fact]
    public async Task GetParticipant_WhenPharmacistOfAnotherSite_Returns404AndListsOnlyOwnSiteArms()
    {
        var s = await ScenarioAsync();
        var pharmacistB = await api.ClientForNewUserAsync(s.Admin, Roles.Pharmacist, s.Trial.Sites["ZB"]);

        foreach (var id in s.ParticipantsA)
        {
            var response = await pharmacistB.GetAsync($"/api/trials/{s.Trial.Id}/participants/{id}");
            await response.AssertProblemAsync(HttpStatusCode.NotFound);
            AssertNoArmStrings(await response.Content.ReadAsStringAsync());
        }

        var filtered = await pharmacistB.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants?siteId={s.Trial.Sites["ZA"]}&pageSize=200");
        Assert.Equal(0, filtered.GetProperty("total").GetInt32());

        var page = await pharmacistB.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants?pageSize=200");
        var arms = page.GetProperty("items").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("arm").GetProperty("code").GetString());
        Assert.Equal(s.ParticipantsB.Order(), arms.Keys.Order());
        Assert.All(arms, a => Assert.Equal(s.ArmOf[a.Key], a.Value));
    }

    [Theory]
    [InlineData(Roles.Pharmacist, Roles.DsmbMember)]
    [InlineData(Roles.Pharmacist, Roles.Coordinator)]
    [InlineData(Roles.UnblindedStatistician, Roles.Admin)]
    [InlineData(Roles.UnblindedStatistician, Roles.Investigator)]
    public async Task Users_WithAnUnblindedRoleBesideABlindedOne_AreRefused(string unblinded, string blinded)
    {
        // A pharmacist who is also a board member (say) would read by arm what the board must read blinded.
        var s = await ScenarioAsync();
        var (blindedUser, _) = await s.Admin.CreateUserAsync([blinded], s.Trial.Sites["ZB"]);

        var created = await s.Admin.PostAsJsonAsync("/api/users", new
        {
            email = $"combined-{Guid.NewGuid():N}@test.local",
            password = TestData.UserPassword,
            displayName = "Combined",
            roles = new[] { unblinded, blinded },
            siteIds = new[] { s.Trial.Sites["ZB"] },
        });
        var changed = await s.Admin.PatchAsJsonAsync($"/api/users/{blindedUser}", new { roles = new[] { blinded, unblinded } });

        await created.AssertProblemAsync(HttpStatusCode.BadRequest);
        Assert.True((await created.JsonAsync()).GetProperty("errors").TryGetProperty("roles", out _));
        await changed.AssertProblemAsync(HttpStatusCode.BadRequest);
        var stored = await s.Admin.GetJsonAsync($"/api/users/{blindedUser}");
        Assert.Equal([blinded], stored.GetProperty("roles").EnumerateArray().Select(r => r.GetString()));
    }

    [Fact]
    public async Task GetParticipant_WhenStatistician_ShowsEveryArmAsTheListHasIt()
    {
        var s = await ScenarioAsync();

        var page = await s.Statistician.GetJsonAsync($"/api/trials/{s.Trial.Id}/participants?pageSize=200&status=Randomized");
        var shown = page.GetProperty("items").EnumerateArray()
            .ToDictionary(p => p.GetProperty("id").GetGuid(), p => p.GetProperty("arm").GetProperty("code").GetString()!);

        var randomized = s.RandomizedA.Concat(s.ParticipantsB).ToList();
        Assert.Equal(randomized.Order(), shown.Keys.Order());
        Assert.All(shown, p => Assert.Equal(s.ArmOf[p.Key], p.Value));
        Assert.Equal(2, s.GroupKey.Count);
        Assert.Equal([DistinctiveTrial.ActiveCode, DistinctiveTrial.PlaceboCode], s.GroupKey.Values.Order(StringComparer.Ordinal));
    }

    private static void AssertNoArmStrings(string body)
    {
        foreach (var secret in DistinctiveTrial.ArmStrings)
        {
            Assert.DoesNotContain(secret, body, StringComparison.OrdinalIgnoreCase);
        }
    }

    private Task<Scenario> ScenarioAsync() => Scenarios.GetValue(api, Scenario.CreateAsync);

    // ---- The walk ----

    private sealed record Walker(string Name, HttpClient Client);

    private sealed record WalkResult(List<string> Problems, Dictionary<string, int> Successes, HashSet<string> Templates);

    /// <summary>
    /// Calls every GET endpoint of the route table as each walker. Route parameters get real ids of the scenario (and
    /// an unknown one, for error bodies); a parameter the walk does not know takes the ids listed by its parent
    /// collection endpoint; if there are none, that is reported, so an endpoint added later cannot go unwalked.
    /// </summary>
    private async Task<WalkResult> WalkAsync(Scenario s, IReadOnlyList<Walker> walkers)
    {
        var problems = new List<string>();
        var unwalked = new List<string>();
        var successes = walkers.ToDictionary(w => w.Name, _ => 0);
        var templates = GetTemplates();
        var harvested = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);

        foreach (var template in templates)
        {
            var urls = Expand(template, s, harvested, out var missing);
            if (missing is not null)
            {
                unwalked.Add($"GET {template}: no value for route parameter {{{missing}}}; add one to the walk or create data its collection lists");
                continue;
            }

            var queries = template == "/{path}" ? [""] : Parameter().IsMatch(template.Split('/')[^1]) ? ItemQueries : CollectionQueries;
            foreach (var walker in walkers)
            {
                foreach (var url in urls)
                {
                    foreach (var query in queries)
                    {
                        var path = url + Fill(query, s);
                        await foreach (var (status, body, headers) in GetAllPagesAsync(walker.Client, path))
                        {
                            if ((int)status >= 500)
                            {
                                problems.Add($"{walker.Name} GET {path}: {(int)status}");
                            }

                            if (status == HttpStatusCode.OK)
                            {
                                successes[walker.Name]++;
                                Harvest(template, body, harvested);
                            }

                            problems.AddRange(Leaks(template, body, headers, s).Select(leak => $"{walker.Name} GET {template} ({path}, {(int)status}): {leak}"));
                        }
                    }
                }
            }
        }

        return new WalkResult([.. unwalked, .. problems], successes, [.. templates]);
    }

    /// <summary>Every GET route (the fallback, which answers any method, included) as "/a/{b}/c", parents before children.</summary>
    private List<string> GetTemplates() =>
        [.. api.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Where(e => e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods is not { Count: > 0 } methods || methods.Contains(HttpMethods.Get))
            .Select(e => Normalize(e.RoutePattern.RawText ?? throw new InvalidOperationException("A route without a template.")))
            .Distinct(StringComparer.Ordinal)
            .OrderBy(t => t.Count(c => c == '/'))
            .ThenBy(t => t, StringComparer.Ordinal)];

    /// <summary>"/api/trials/{trialId:guid}/participants/" becomes "/api/trials/{trialId}/participants"; "{*path}" becomes "/{path}".</summary>
    private static string Normalize(string raw) => "/" + Parameter().Replace(raw, m => "{" + m.Groups["name"].Value + "}").Trim('/');

    private static List<string> Expand(string template, Scenario s, Dictionary<string, HashSet<string>> harvested, out string? missing)
    {
        missing = null;
        var urls = new List<string> { template };
        foreach (Match match in Parameter().Matches(template))
        {
            var name = match.Groups["name"].Value;
            var values = s.RouteValues.TryGetValue(name, out var known)
                ? known
                : Harvested(template[..template.IndexOf("/{" + name + "}", StringComparison.Ordinal)])?.Append(s.Unknown.ToString()).ToList();
            if (values is null || values.Count == 0)
            {
                missing = name;
                return [];
            }

            urls = [.. urls.SelectMany(url => values.Select(v => url.Replace("{" + name + "}", v, StringComparison.Ordinal)))];
        }

        return urls;

        // A page's ids come from the API's list of the same records (a page /trials/{t}/adverse-events/{id}: /api/trials/{t}/adverse-events).
        HashSet<string>? Harvested(string collection) => harvested.GetValueOrDefault(collection) ?? harvested.GetValueOrDefault("/api" + collection);
    }

    private static string Fill(string query, Scenario s) => query
        .Replace("{siteA}", s.Trial.Sites["ZA"].ToString(), StringComparison.Ordinal)
        .Replace("{siteB}", s.Trial.Sites["ZB"].ToString(), StringComparison.Ordinal)
        .Replace("{unknown}", s.Unknown.ToString(), StringComparison.Ordinal)
        .Replace("{participant}", s.RandomizedA[0].ToString(), StringComparison.Ordinal)
        .Replace("{statistician}", s.StatisticianId.ToString(), StringComparison.Ordinal);

    /// <summary>The answer, and for a paged list asked with pageSize=200 every further page.</summary>
    private static async IAsyncEnumerable<(HttpStatusCode Status, string Body, string Headers)> GetAllPagesAsync(HttpClient client, string path)
    {
        for (var page = 1; page <= 50; page++)
        {
            var url = page == 1 ? path : path + $"&page={page}";
            using var response = await client.GetAsync(url);
            var body = await response.Content.ReadAsStringAsync();
            var headers = string.Join("\n", response.Headers.Concat(response.Content.Headers).Select(h => $"{h.Key}: {string.Join(",", h.Value)}"));
            yield return (response.StatusCode, body, headers);

            if (response.StatusCode != HttpStatusCode.OK || !path.Contains("pageSize=200", StringComparison.Ordinal) || path.Contains("page=", StringComparison.Ordinal))
            {
                yield break;
            }

            if (TryParse(body) is not JsonObject { } list || list["total"] is not JsonValue total || list["pageSize"] is not JsonValue size
                || page * size.GetValue<int>() >= total.GetValue<int>())
            {
                yield break;
            }
        }
    }

    private static void Harvest(string template, string body, Dictionary<string, HashSet<string>> harvested)
    {
        var items = TryParse(body) switch
        {
            JsonObject o when o["items"] is JsonArray a => a,
            JsonArray a => a,
            _ => null,
        };
        foreach (var item in items?.OfType<JsonObject>() ?? [])
        {
            if (item["id"] is JsonValue id)
            {
                (harvested.TryGetValue(template, out var ids) ? ids : harvested[template] = new HashSet<string>(StringComparer.Ordinal)).Add(id.ToString());
            }
        }
    }

    /// <summary>What in one answer would unblind: arm strings, the group key pairs, the seed, assignment-carrying properties.</summary>
    private static List<string> Leaks(string template, string body, string headers, Scenario s)
    {
        var leaks = new List<string>();
        var isDefinition = template == ProtocolDefinition;
        var node = TryParse(body);
        var text = new StringBuilder(headers).Append('\n');
        if (node is not null)
        {
            RemoveTrialArmAuditRows(node);
            Collect(node, text, template.StartsWith("/openapi/", StringComparison.Ordinal) ? null : leaks);
            text.Append(node.ToJsonString());
        }
        else
        {
            text.Append(body);
        }

        var all = text.ToString();
        if (!isDefinition)
        {
            leaks.AddRange(DistinctiveTrial.ArmStrings.Where(a => all.Contains(a, StringComparison.OrdinalIgnoreCase)).Select(a => $"contains '{a}'"));
        }

        var seed = Seed.ToString(CultureInfo.InvariantCulture);
        if (all.Contains(seed, StringComparison.Ordinal))
        {
            leaks.Add("contains the list's seed");
        }

        foreach (var (label, code) in s.GroupKey)
        {
            if (Regex.IsMatch(all, $"{Regex.Escape(label)}\\W{{0,12}}{Regex.Escape(code)}|{Regex.Escape(code)}\\W{{0,12}}{Regex.Escape(label)}", RegexOptions.IgnoreCase))
            {
                leaks.Add($"pairs '{label}' with its arm");
            }
        }

        return leaks;
    }

    /// <summary>The definition's own audit rows (entity type TrialArm) name the arms by contract; they are the exception.</summary>
    private static void RemoveTrialArmAuditRows(JsonNode node)
    {
        switch (node)
        {
            case JsonArray array:
                foreach (var item in array.ToList())
                {
                    if (item is JsonObject o && o["entityType"] is JsonValue type && type.ToString() == "TrialArm")
                    {
                        array.Remove(item);
                    }
                    else if (item is not null)
                    {
                        RemoveTrialArmAuditRows(item);
                    }
                }

                break;
            case JsonObject obj:
                foreach (var (_, value) in obj.ToList())
                {
                    if (value is not null)
                    {
                        RemoveTrialArmAuditRows(value);
                    }
                }

                break;
        }
    }

    /// <summary>Every property name and string value, decoded; properties that carry an assignment are reported (not for the API description).</summary>
    private static void Collect(JsonNode node, StringBuilder text, List<string>? leaks)
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (name, value) in obj)
                {
                    text.Append(name).Append('\n');
                    if (leaks is not null && AssignmentProperties.Contains(name) && value is not null)
                    {
                        leaks.Add($"has a property '{name}'");
                    }

                    if (value is not null)
                    {
                        Collect(value, text, leaks);
                    }
                }

                break;
            case JsonArray array:
                foreach (var item in array)
                {
                    if (item is not null)
                    {
                        Collect(item, text, leaks);
                    }
                }

                break;
            case JsonValue value:
                text.Append(value.ToString()).Append('\n');
                break;
        }
    }

    private static JsonNode? TryParse(string body)
    {
        try
        {
            return body.Length == 0 ? null : JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z_][A-Za-z0-9_]*)(?::[^{}]*)?\??\}")]
    private static partial Regex Parameter();

    // ---- The scenario: one trial, two sites, participants in every state, an emergency unblinding, board requests ----

    private sealed record Scenario(
        HttpClient Admin,
        HttpClient Statistician,
        Guid StatisticianId,
        HttpClient PharmacistA,
        DistinctiveTrial.Created Trial,
        IReadOnlyList<Guid> ParticipantsA,
        IReadOnlyList<Guid> RandomizedA,
        IReadOnlyList<Guid> ParticipantsB,
        Dictionary<Guid, string> ArmOf,
        Dictionary<string, string> GroupKey,
        IReadOnlyList<Walker> BlindedWalkers,
        Dictionary<string, List<string>> RouteValues,
        Guid Unknown)
    {
        public static async Task<Scenario> CreateAsync(EdcApiFactory api)
        {
            var admin = await api.AdminAsync();
            var trial = await DistinctiveTrial.CreateAsync(admin, ["ZA", "ZB"]);
            var (siteA, siteB) = (trial.Sites["ZA"], trial.Sites["ZB"]);

            var (statisticianId, statisticianEmail) = await admin.CreateUserAsync([Roles.UnblindedStatistician]);
            var statistician = await api.LoginAsync(statisticianEmail, TestData.UserPassword);
            await statistician.CreateListAsync(trial.Id, Seed, slotsPerStratum: 12);

            var (coordinatorAId, coordinatorAEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteA);
            var coordinatorA = await api.LoginAsync(coordinatorAEmail, TestData.UserPassword);
            var (investigatorAId, investigatorAEmail) = await admin.CreateUserAsync([Roles.Investigator], siteA);
            var investigatorA = await api.LoginAsync(investigatorAEmail, TestData.UserPassword);
            var (coordinatorBId, coordinatorBEmail) = await admin.CreateUserAsync([Roles.Coordinator], siteB);
            var coordinatorB = await api.LoginAsync(coordinatorBEmail, TestData.UserPassword);
            var (dsmbId, dsmbEmail) = await admin.CreateUserAsync([Roles.DsmbMember]);
            var dsmb = await api.LoginAsync(dsmbEmail, TestData.UserPassword);
            var (pharmacistId, pharmacistEmail) = await admin.CreateUserAsync([Roles.Pharmacist], siteA);
            var pharmacistA = await api.LoginAsync(pharmacistEmail, TestData.UserPassword);
            var (unblinderId, unblinderEmail) = await admin.CreateUserAsync([Roles.Investigator], siteA);
            var unblinder = await api.LoginAsync(unblinderEmail, TestData.UserPassword);
            var (monitorId, monitorEmail) = await admin.CreateUserAsync([Roles.Monitor], siteA);
            var monitorA = await api.LoginAsync(monitorEmail, TestData.UserPassword);
            var (dataManagerId, dataManagerEmail) = await admin.CreateUserAsync([Roles.DataManager]);
            var dataManager = await api.LoginAsync(dataManagerEmail, TestData.UserPassword);

            // Site A: four randomized in both strata, one more randomized then withdrawn, one enrolled, one still screening.
            var randomizedA = new List<Guid>();
            foreach (var level in new[] { "limited", "diffuse", "limited", "diffuse", "limited" })
            {
                randomizedA.Add(await DistinctiveTrial.ParticipantAsync(randomizedA.Count % 2 == 0 ? coordinatorA : investigatorA, trial.Id, siteA, level));
            }

            var withdrawal = await coordinatorA.PostAsJsonAsync(
                $"/api/trials/{trial.Id}/participants/{randomizedA[^1]}/withdrawal", new { date = "2026-03-01", reason = "Moved abroad" });
            Assert.Equal(HttpStatusCode.OK, withdrawal.StatusCode);
            AssertNoArmStrings(await withdrawal.Content.ReadAsStringAsync());
            var enrolledA = await DistinctiveTrial.ParticipantAsync(coordinatorA, trial.Id, siteA, "diffuse", randomize: false);
            var screeningA = await coordinatorA.RegisterAsync(trial.Id, siteA);

            // The trial's own forms: a visit form and a log entry.
            var formPath = $"/api/trials/{trial.Id}/participants/{randomizedA[0]}";
            var note = await coordinatorA.PutAsJsonAsync($"{formPath}/visits/D0/forms/{DistinctiveTrial.NoteForm}", new { values = new Dictionary<string, string> { ["NOTE"] = "Well" } });
            var entry = await coordinatorA.PostAsJsonAsync($"{formPath}/logs/{DistinctiveTrial.LogForm}", new { values = new Dictionary<string, string> { ["DRUG"] = "Paracetamol" } });
            Assert.Equal(HttpStatusCode.OK, note.StatusCode);
            Assert.Equal(HttpStatusCode.Created, entry.StatusCode);
            var query = await investigatorA.PostAsJsonAsync(
                $"/api/trials/{trial.Id}/queries", new { participantId = randomizedA[0], visitCode = "D0", formCode = DistinctiveTrial.NoteForm, itemCode = "NOTE", text = "Which visit?" });
            Assert.True(query.StatusCode == HttpStatusCode.Created, await query.Content.ReadAsStringAsync());
            var queryId = (await query.JsonAsync()).GetProperty("id").GetString()!;

            // Site B: two randomized.
            var participantsB = new List<Guid>
            {
                await DistinctiveTrial.ParticipantAsync(coordinatorB, trial.Id, siteB, "limited"),
                await DistinctiveTrial.ParticipantAsync(coordinatorB, trial.Id, siteB, "diffuse"),
            };

            // MRSS at D0 and W4 at both sites, so the primary analysis and its report have groups with numbers to show.
            foreach (var (client, participant, baseline, final) in new[]
            {
                (coordinatorA, randomizedA[1], 24, 18), (coordinatorA, randomizedA[2], 30, 27), (coordinatorB, participantsB[0], 27, 17), (coordinatorB, participantsB[1], 21, 22),
            })
            {
                await client.MrssTotalAsync(trial.Id, participant, "D0", baseline);
                await client.MrssTotalAsync(trial.Id, participant, "W4", final);
            }

            // Adverse events at both sites: a serious, related, unexpected one (a SUSAR, with its clocks), and two others.
            var today = DateTime.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
            foreach (var (client, participant, term, serious) in new[]
            {
                (coordinatorA, randomizedA[0], "Pneumonia", true), (investigatorA, randomizedA[1], "Headache", false), (coordinatorB, participantsB[0], "Nausea", false),
            })
            {
                var recorded = await client.PostAsJsonAsync($"/api/trials/{trial.Id}/participants/{participant}/adverse-events", new
                {
                    term,
                    onsetDate = today,
                    ongoing = true,
                    grade = serious ? 3 : 1,
                    serious,
                    seriousnessCriteria = serious ? new[] { "Hospitalization" } : [],
                    relatedness = serious ? "Probable" : "Unlikely",
                    actionTaken = "DoseNotChanged",
                    outcome = "NotRecovered",
                });
                Assert.True(recorded.StatusCode == HttpStatusCode.Created, await recorded.Content.ReadAsStringAsync());
                AssertNoArmStrings(await recorded.Content.ReadAsStringAsync());
            }

            // A safety summary by masked group, so the walk reads the list, the summary and its report.
            var summary = await dsmb.PostAsync($"/api/trials/{trial.Id}/safety-summaries", null);
            Assert.True(summary.StatusCode == HttpStatusCode.Created, await summary.Content.ReadAsStringAsync());
            AssertNoArmStrings(await summary.Content.ReadAsStringAsync());

            // Another investigator of site A breaks the blind for one participant: that shows to all, the arm to them only.
            var unblinding = await unblinder.PostAsJsonAsync(
                $"/api/trials/{trial.Id}/participants/{randomizedA[0]}/emergency-unblinding", new { reason = EmergencyReason, password = TestData.UserPassword });
            Assert.True(unblinding.StatusCode == HttpStatusCode.OK, await unblinding.Content.ReadAsStringAsync());

            // Board requests: one approved, one pending.
            var requestIds = new List<Guid>();
            foreach (var justification in new[] { "Imbalance in serious infections", "Two deaths in one masked group" })
            {
                var created = await dsmb.PostAsJsonAsync($"/api/trials/{trial.Id}/unblinding-requests", new { justification });
                Assert.Equal(HttpStatusCode.Created, created.StatusCode);
                requestIds.Add((await created.JsonAsync()).GetProperty("id").GetGuid());
            }

            var decision = await statistician.PostAsJsonAsync(
                $"/api/trials/{trial.Id}/unblinding-requests/{requestIds[0]}/decision", new { approve = true, comment = "Closed session only" });
            Assert.Equal(HttpStatusCode.OK, decision.StatusCode);

            // The statistician reads the list (an audited read) and the pharmacist the participants: both leave traces.
            var (armOf, groupKey, _) = await DistinctiveTrial.ReadListAsync(statistician, trial.Id);
            await pharmacistA.GetJsonAsync($"/api/trials/{trial.Id}/participants?pageSize=200");

            var unknown = Guid.NewGuid();
            var participantsA = randomizedA.Append(enrolledA).Append(screeningA).ToList();
            var all = participantsA.Concat(participantsB).Select(p => p.ToString()).Append(unknown.ToString()).ToList();
            var userIds = new[] { statisticianId, coordinatorAId, investigatorAId, coordinatorBId, dsmbId, pharmacistId, unblinderId, monitorId, dataManagerId, unknown }
                .Select(u => u.ToString()).ToList();
            var routeValues = new Dictionary<string, List<string>>(StringComparer.Ordinal)
            {
                ["trialId"] = [trial.Id.ToString(), unknown.ToString()],
                ["participantId"] = all,
                ["id"] = userIds,
                ["userId"] = userIds,
                ["requestId"] = [.. requestIds.Select(r => r.ToString()).Append(unknown.ToString())],
                ["siteId"] = [siteA.ToString(), siteB.ToString(), unknown.ToString()],
                ["queryId"] = [queryId, unknown.ToString()],
                ["visitCode"] = ["D0", "W4", "NOPE"],
                ["formCode"] = ["MRSS", DistinctiveTrial.NoteForm, DistinctiveTrial.LogForm, "NOPE"],
                ["documentName"] = ["v1"],
                ["path"] = ["api/no-such-resource", $"api/trials/{trial.Id}/participants/{randomizedA[1]}/arm"],
            };

            Walker[] walkers =
            [
                new("Coordinator of site A", coordinatorA),
                new("Investigator of site A", investigatorA),
                new("Coordinator of site B", coordinatorB),
                new("DsmbMember", dsmb),
                new("Admin", admin),
                new("Monitor of site A", monitorA),
                new("DataManager", dataManager),
            ];
            return new Scenario(
                admin, statistician, statisticianId, pharmacistA, trial, participantsA, randomizedA.Take(4).ToList(), participantsB,
                armOf, groupKey, walkers, routeValues, unknown);
        }
    }
}

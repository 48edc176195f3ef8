using System.Text.Json;
using Edc.Bench;

namespace Edc.Drills;

/// <summary>A drill trial: its id, its sites by code.</summary>
internal sealed record DrillTrial(Guid Id, string Code, IReadOnlyDictionary<string, Guid> Sites)
{
    public Guid Site => Sites["S1"];
}

/// <summary>The accounts, one per role, signed in (bearer tokens) and their ids.</summary>
internal sealed record Accounts(
    string Admin, string Coordinator, string Investigator, string Statistician, string Dsmb, string Pharmacist,
    IReadOnlyDictionary<string, Guid> UserIds);

/// <summary>
/// Trials, users and lists through the API as an operator creates them. Every drill trial has the same small
/// definition: two arms 1:1, visits D0 (MRSS, infusion) and W4 (MRSS), one inclusion and one exclusion criterion,
/// a stratification factor with two levels (two strata) and two sites.
/// </summary>
internal static class DrillSetup
{
    public const string UserPassword = "Drill-User-Password-2026";
    public const string Inclusion = "INC_ADULT";
    public const string Exclusion = "EXC_PREGNANT";
    public const string Factor = "extent";

    public static readonly string[] MrssAreas =
    [
        "face", "anteriorChest", "abdomen", "rightFingers", "leftFingers", "rightHand", "leftHand", "rightForearm", "leftForearm",
        "rightUpperArm", "leftUpperArm", "rightThigh", "leftThigh", "rightLowerLeg", "leftLowerLeg", "rightFoot", "leftFoot",
    ];

    public static object TrialDefinition(string code) => new
    {
        code,
        title = "Fault drill trial " + code,
        arms = new[] { new { code = "ACT", name = "Active", ratio = 1 }, new { code = "PBO", name = "Placebo", ratio = 1 } },
        visitDefinitions = new[]
        {
            new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = new[] { "Mrss", "Infusion" } },
            new { code = "W4", name = "Week 4", day = 28, windowBefore = 3, windowAfter = 3, procedures = new[] { "Mrss" } },
        },
        eligibilityCriteria = new[]
        {
            new { code = Inclusion, kind = "Inclusion", text = "Aged 18 or older" },
            new { code = Exclusion, kind = "Exclusion", text = "Pregnant or breastfeeding" },
        },
        stratificationFactors = new[] { new { code = Factor, name = "Skin involvement", levels = new[] { "limited", "diffuse" } } },
        sites = new[] { new { code = "S1", name = "Drill hospital 1" }, new { code = "S2", name = "Drill hospital 2" } },
    };

    public static object Enrollment(int n) => new
    {
        consentDate = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        eligibility = new Dictionary<string, bool> { [Inclusion] = true, [Exclusion] = false },
        strata = new Dictionary<string, string> { [Factor] = n % 2 == 0 ? "limited" : "diffuse" },
    };

    public static object Mrss(int score) => new
    {
        assessedOn = DateTime.UtcNow.ToString("yyyy-MM-dd"),
        assessorName = "Drill assessor",
        scores = MrssAreas.ToDictionary(a => a, _ => score % 4),
    };

    public static async Task<DrillTrial> CreateTrialAsync(HttpClient admin, string code, CancellationToken ct)
    {
        var created = Http.Expect(await Http.PostAsync(admin, "/api/trials", TrialDefinition(code), ct), "creating trial " + code);
        var id = created.GetProperty("id").GetGuid();
        var sites = Http.Expect(await Http.GetAsync(admin, $"/api/trials/{id}/sites", ct), "sites of " + code).GetProperty("items")
            .EnumerateArray().ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("id").GetGuid());
        return new DrillTrial(id, code, sites);
    }

    /// <summary>One account per role; site-bound roles get every site of the given trials.</summary>
    public static async Task<Accounts> AccountsAsync(Uri baseAddress, IReadOnlyList<DrillTrial> trials, CancellationToken ct)
    {
        var adminToken = await Http.SignInAsync(baseAddress, ApiProcess.AdminEmail, ApiProcess.AdminPassword, ct);
        using var admin = Http.Client(baseAddress, adminToken);
        var allSites = trials.SelectMany(t => t.Sites.Values).ToArray();
        var ids = new Dictionary<string, Guid>();
        var tokens = new Dictionary<string, string>();
        foreach (var role in new[] { "Coordinator", "Investigator", "UnblindedStatistician", "DsmbMember", "Pharmacist" })
        {
            var email = $"drill-{role.ToLowerInvariant()}@edc.local";
            var siteIds = role is "Coordinator" or "Investigator" or "Pharmacist" ? allSites : [];
            var created = Http.Expect(
                await Http.PostAsync(admin, "/api/users", new { email, password = UserPassword, displayName = "Drill " + role, roles = new[] { role }, siteIds }, ct),
                "creating the " + role);
            ids[role] = created.GetProperty("id").GetGuid();
            tokens[role] = await Http.SignInAsync(baseAddress, email, UserPassword, ct);
        }

        return new Accounts(adminToken, tokens["Coordinator"], tokens["Investigator"], tokens["UnblindedStatistician"], tokens["DsmbMember"], tokens["Pharmacist"], ids);
    }

    public static async Task CreateListAsync(HttpClient statistician, DrillTrial trial, int slotsPerStratum, CancellationToken ct) =>
        Http.Expect(
            await Http.PostAsync(statistician, $"/api/trials/{trial.Id}/randomization-list", new { seed = 20261121, blockSizes = new[] { 2, 4 }, slotsPerStratum }, ct),
            "the randomization list of " + trial.Code);

    /// <summary>Registers and enrolls <paramref name="count"/> participants through the API, a few clients at a time.</summary>
    public static async Task<List<Guid>> EnrolledAsync(HttpClient coordinator, DrillTrial trial, int count, string prefix, CancellationToken ct)
    {
        var ids = new Guid[count];
        await Parallel.ForEachAsync(Enumerable.Range(0, count), new ParallelOptions { MaxDegreeOfParallelism = 8, CancellationToken = ct }, async (n, token) =>
        {
            var registered = Http.Expect(
                await Http.PostAsync(coordinator, $"/api/trials/{trial.Id}/participants", new { siteId = trial.Site, screeningNumber = $"{prefix}-{n:D5}", sex = "F", birthYear = 1970 }, token),
                "registering a participant");
            var id = registered.GetProperty("id").GetGuid();
            Http.Expect(await Http.PostAsync(coordinator, $"/api/trials/{trial.Id}/participants/{id}/enrollment", Enrollment(n), token), "enrolling a participant");
            ids[n] = id;
        });
        return [.. ids];
    }

    public static string Describe(JsonElement element) => element.GetRawText();
}

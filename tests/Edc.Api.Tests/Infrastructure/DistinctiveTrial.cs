using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// A trial whose arm codes and names are strings that cannot turn up by accident, so a test can search any text
/// (a response, an error, a log line, a notification) for them. Criterion codes are upper case on purpose, as in the
/// demonstration trial: field error keys must keep them as they are.
/// </summary>
public static class DistinctiveTrial
{
    public const string ActiveCode = "ZQXARM1";
    public const string PlaceboCode = "ZQXARM2";
    public const string ActiveName = "Quuxazumab active 7731";
    public const string PlaceboName = "Quuxazumab placebo 7732";
    public const string InclusionCode = "INC_ADULT";
    public const string ExclusionCode = "EXC_PREGNANT";
    public const string FactorCode = "extent";

    /// <summary>Arm codes and names: none of them may reach a blinded caller outside the protocol definition.</summary>
    public static readonly string[] ArmStrings = [ActiveCode, PlaceboCode, ActiveName, PlaceboName];

    public static readonly Dictionary<string, string> ArmNames = new(StringComparer.Ordinal)
    {
        [ActiveCode] = ActiveName,
        [PlaceboCode] = PlaceboName,
    };

    /// <summary>A visit form (at D0 and W4) and a log form: the trial's own forms, whose data must carry no arm either.</summary>
    public const string NoteForm = "NOTE";
    public const string LogForm = "MEDS";

    private static readonly string[] Procedures = ["Mrss"];
    private static readonly string[] VisitForms = [NoteForm];

    public sealed record Created(Guid Id, string Code, IReadOnlyDictionary<string, Guid> Sites);

    /// <summary>
    /// Creates the trial (Admin) with the given site codes; with a stratification factor <see cref="FactorCode"/> (limited,
    /// diffuse) unless told otherwise; with <paramref name="forms"/> (as the contract writes them; by default the visit form
    /// <see cref="NoteForm"/> and the log form <see cref="LogForm"/>), the visit forms among them collected at both visits.
    /// </summary>
    public static async Task<Created> CreateAsync(HttpClient admin, string[] siteCodes, bool stratified = true, object[]? forms = null, string[]? visitForms = null)
    {
        var code = "ZT-" + Guid.NewGuid().ToString("N")[..10].ToUpperInvariant();
        var response = await admin.PostAsJsonAsync("/api/trials", new
        {
            code,
            title = "Blinding test trial " + code,
            arms = new[] { new { code = ActiveCode, name = ActiveName, ratio = 1 }, new { code = PlaceboCode, name = PlaceboName, ratio = 1 } },
            visitDefinitions = new[]
            {
                new { code = "D0", name = "Day 0", day = 0, windowBefore = 0, windowAfter = 0, procedures = Procedures, forms = visitForms ?? VisitForms },
                new { code = "W4", name = "Week 4", day = 28, windowBefore = 3, windowAfter = 3, procedures = Procedures, forms = visitForms ?? VisitForms },
            },
            eligibilityCriteria = new[]
            {
                new { code = InclusionCode, kind = "Inclusion", text = "Aged 18 or older" },
                new { code = ExclusionCode, kind = "Exclusion", text = "Pregnant or breastfeeding" },
            },
            stratificationFactors = stratified
                ? new[] { new { code = FactorCode, name = "Skin involvement", levels = new[] { "limited", "diffuse" } } }
                : [],
            sites = siteCodes.Select(s => new { code = s, name = "Hospital " + s }).ToArray(),
            forms = forms ??
            [
                new { code = NoteForm, name = "Visit note", log = false, items = new[] { new { code = "NOTE", label = "Note", type = "text" } } },
                new { code = LogForm, name = "Medications", log = true, items = new[] { new { code = "DRUG", label = "Drug", type = "text" } } },
            ],
        });
        Assert.True(response.StatusCode == HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
        var id = (await response.JsonAsync()).GetProperty("id").GetGuid();
        var sites = await admin.GetJsonAsync($"/api/trials/{id}/sites?pageSize=200");
        return new Created(id, code, sites.GetProperty("items").EnumerateArray()
            .ToDictionary(s => s.GetProperty("code").GetString()!, s => s.GetProperty("id").GetGuid(), StringComparer.Ordinal));
    }

    public static object Strata(string level) => new Dictionary<string, string> { [FactorCode] = level };

    /// <summary>Registers, enrolls (eligible, consent 2026-01-15) and, when asked, randomizes one participant (by a blinded data entry role).</summary>
    public static async Task<Guid> ParticipantAsync(HttpClient dataEntry, Guid trialId, Guid siteId, string? level, bool randomize = true)
    {
        var id = await dataEntry.EnrolledAsync(trialId, siteId, level is null ? null : Strata(level));
        if (randomize)
        {
            var response = await dataEntry.RandomizeAsync(trialId, id);
            var body = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, body);

            // The randomization answers number and kit, never the arm (the trial cannot be unblinded while open).
            Assert.DoesNotContain(ArmStrings, secret => body.Contains(secret, StringComparison.OrdinalIgnoreCase));
        }

        return id;
    }

    /// <summary>The statistician's view of the list: participant id to arm code, and the group key.</summary>
    public static async Task<(Dictionary<Guid, string> ArmOf, Dictionary<string, string> GroupKey, JsonElement List)> ReadListAsync(HttpClient statistician, Guid trialId)
    {
        var list = await statistician.GetJsonAsync($"/api/trials/{trialId}/randomization-list");
        var armOf = list.GetProperty("slots").EnumerateArray()
            .Where(s => s.GetProperty("participantId").ValueKind == JsonValueKind.String)
            .ToDictionary(s => s.GetProperty("participantId").GetGuid(), s => s.GetProperty("armCode").GetString()!);
        var groupKey = list.GetProperty("groupKey").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal);
        return (armOf, groupKey, list);
    }
}

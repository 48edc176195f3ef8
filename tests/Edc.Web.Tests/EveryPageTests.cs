using System.Net;
using System.Net.Http.Json;
using System.Reflection;
using System.Text.Json;
using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Components;

namespace Edc.Web.Tests;

/// <summary>
/// Every page of the web, found from the assembly's routes (components with [Route]) and opened over the demonstration data
/// by every role: a role the page allows sees it drawn, the others are refused (403, or the sign-in page when signed out),
/// and no one ever meets a server error.
/// </summary>
[Collection(DemoWebCollection.Name)]
public sealed partial class EveryPageTests(DemoWebApp web)
{
    // The demonstration accounts, one per role; they share the admin's password.
    private static readonly Dictionary<string, string> AccountOf = new(StringComparer.Ordinal)
    {
        [Roles.Admin] = EdcApiFactory.AdminEmail,
        [Roles.Coordinator] = "coordinator@edc.local",
        [Roles.Investigator] = "investigator@edc.local",
        [Roles.DsmbMember] = "dsmb@edc.local",
        [Roles.UnblindedStatistician] = "statistician@edc.local",
        [Roles.Pharmacist] = "pharmacist@edc.local",
        [Roles.Monitor] = "monitor@edc.local",
        [Roles.DataManager] = "datamanager@edc.local",
    };

    /// <summary>
    /// Pages every role may ask for whose handler refuses some roles (403), as the API does: the roles drawn over the
    /// demonstration data. The primary analysis: the board and the statistician until the final unblinding.
    /// </summary>
    private static readonly Dictionary<string, string[]> AllowedByTheHandler = new(StringComparer.Ordinal)
    {
        ["/trials/{trialId:guid}/analyses/primary"] = [Roles.DsmbMember, Roles.UnblindedStatistician],
    };

    [Fact]
    public async Task EveryPage_OpenedByEveryRole_IsDrawnForTheRolesItAllowsAndRefusedToTheOthers_NeverAServerError()
    {
        var pages = Pages();
        Assert.Contains(pages, p => p.Template == "/trials/{trialId:guid}/participants/{participantId:guid}/visits/{visitCode}/mrss");
        Assert.All(AllowedByTheHandler.Keys, template => Assert.Contains(pages, p => p.Template == template));
        var paths = await PathsAsync(pages);
        var failures = new List<string>();

        using (var anonymous = WebSession.Anonymous(web.Api))
        {
            foreach (var (page, path) in paths)
            {
                using var response = await anonymous.GetAsync(path);
                var signIn = response.StatusCode == HttpStatusCode.Redirect
                    && new Uri(web.BaseAddress, response.Headers.Location!).PathAndQuery == "/sign-in?returnUrl=" + Uri.EscapeDataString(path);
                if (page.Anonymous ? Problem(response, await response.Content.ReadAsStringAsync()) is not null : !signIn)
                {
                    failures.Add($"signed out {path}: {(int)response.StatusCode} {response.Headers.Location}");
                }
            }
        }

        Assert.Equal(Roles.All.Order(StringComparer.Ordinal), AccountOf.Keys.Order(StringComparer.Ordinal));
        foreach (var (role, email) in AccountOf)
        {
            using var session = await WebSession.SignInAsync(web.Api, email, EdcApiFactory.AdminPassword);
            foreach (var (page, path) in paths)
            {
                using var response = await session.GetAsync(path);
                var body = await response.Content.ReadAsStringAsync();
                var outcome = page.Allows(role)
                    ? Problem(response, body)
                    : response.StatusCode == HttpStatusCode.Forbidden ? null : $"{(int)response.StatusCode} where 403 was due";
                if (outcome is not null)
                {
                    failures.Add($"{role} {path}: {outcome}");
                }
            }
        }

        Assert.True(failures.Count == 0, $"{failures.Count} of {paths.Count * (AccountOf.Count + 1)} page openings failed:\n" + string.Join("\n", failures));
    }

    /// <summary>What is wrong with a page a role may open: not drawn (an error, a redirect, not found), else null.</summary>
    private static string? Problem(HttpResponseMessage response, string body)
    {
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return $"{(int)response.StatusCode} {response.Headers.Location} {body[..Math.Min(body.Length, 300)]}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "text/html")
        {
            return $"answered {response.Content.Headers.ContentType} instead of a page";
        }

        var heading = H1().Matches(body);
        return heading.Count != 1 ? $"{heading.Count} h1 headings"
            : heading[0].Groups[1].Value.Contains("Not found", StringComparison.Ordinal) ? "drawn as Not found"
            : null;
    }

    /// <summary>Every routed page of the web with who may open it.</summary>
    private static List<Page> Pages() =>
        [.. typeof(Program).Assembly.GetTypes()
            .Where(t => typeof(IComponent).IsAssignableFrom(t))
            .SelectMany(t => t.GetCustomAttributes<RouteAttribute>().Select(route => new Page(
                route.Template,
                t.IsDefined(typeof(AllowAnonymousAttribute)),
                AllowedByTheHandler.GetValueOrDefault(route.Template) ?? t.GetCustomAttribute<AuthorizeAttribute>()?.Roles?.Split(',') ?? [])))
            .OrderBy(p => p.Template, StringComparer.Ordinal)];

    /// <summary>
    /// Each page's addresses, its route parameters filled with ids of the demonstration data: by the parameter's name, or for
    /// a route whose names say nothing of what they name, listed here by its template.
    /// </summary>
    private async Task<List<(Page Page, string Path)>> PathsAsync(List<Page> pages)
    {
        var trialId = await web.Admin.DemoTrialIdAsync();
        var participants = (await web.Admin.GetJsonAsync($"/api/trials/{trialId}/participants?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        string ParticipantIn(string status) => participants.First(p => p.GetProperty("status").GetString() == status).GetProperty("id").GetString()!;
        var adverseEvents = (await web.Admin.GetJsonAsync($"/api/trials/{trialId}/adverse-events?pageSize=200")).GetProperty("items").EnumerateArray().ToList();
        var users = (await web.Admin.GetJsonAsync("/api/users?pageSize=200")).GetProperty("items").EnumerateArray().ToList();

        var randomized = ParticipantIn("Randomized");
        var byName = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["trialId"] = [trialId.ToString()],
            ["participantId"] = [randomized, ParticipantIn("Completed"), ParticipantIn("Withdrawn")],
            ["visitCode"] = ["D0", "W12"], // Day 0 is done for everyone; week 12 is still to come for some
            ["formCode"] = ["VS"], // vital signs, taken at both
            ["adverseEventId"] = [adverseEvents.First(a => a.GetProperty("serious").GetBoolean()).GetProperty("id").GetString()!],
        };
        var log = new Dictionary<string, string[]>(StringComparer.Ordinal)
        {
            ["trialId"] = [trialId.ToString()],
            ["participantId"] = [randomized],
            ["formCode"] = ["CM"],
            ["entryId"] = [(await LogEntryAsync(trialId, randomized, "CM")).ToString()],
        };
        var byTemplate = new Dictionary<string, Dictionary<string, string[]>>(StringComparer.Ordinal)
        {
            ["/admin/users/{id:guid}"] = new(StringComparer.Ordinal)
            {
                ["id"] = [users.First(u => u.GetProperty("email").GetString() == AccountOf[Roles.Coordinator]).GetProperty("id").GetString()!],
            },
            ["/trials/{trialId:guid}/participants/{participantId:guid}/logs/{formCode}"] = log,
            ["/trials/{trialId:guid}/participants/{participantId:guid}/logs/{formCode}/{entryId:guid}"] = log,
        };

        var paths = new List<(Page, string)>();
        foreach (var page in pages)
        {
            var values = byTemplate.GetValueOrDefault(page.Template) ?? byName;
            IEnumerable<string> filled = [page.Template];
            foreach (Match parameter in RouteParameter().Matches(page.Template))
            {
                var name = parameter.Groups[1].Value;
                Assert.True(values.ContainsKey(name), $"{page.Template}: no demonstration id for {{{name}}}; list the route in byTemplate");
                filled = [.. filled.SelectMany(path => values[name].Select(value => path.Replace(parameter.Value, Uri.EscapeDataString(value), StringComparison.Ordinal)))];
            }

            paths.AddRange(filled.Select(path => (page, path)));
        }

        return paths;
    }

    /// <summary>An entry of the participant's log: the demonstration data's first, or one the site's coordinator adds.</summary>
    private async Task<Guid> LogEntryAsync(Guid trialId, string participantId, string formCode)
    {
        using var coordinator = await web.Api.LoginAsync(AccountOf[Roles.Coordinator], EdcApiFactory.AdminPassword);
        var log = $"/api/trials/{trialId}/participants/{participantId}/logs/{formCode}";
        if ((await coordinator.GetJsonAsync(log)).GetProperty("items").EnumerateArray().FirstOrDefault() is { ValueKind: JsonValueKind.Object } entry)
        {
            return entry.GetProperty("id").GetGuid();
        }

        var added = await coordinator.PostAsJsonAsync(log, new
        {
            values = new Dictionary<string, object>
            {
                ["DRUG"] = "Omeprazole",
                ["INDICATION"] = "Reflux",
                ["DOSE"] = 20,
                ["UNIT"] = "MG",
                ["FREQ"] = "QD",
                ["STARTDATE"] = "2025-06-01",
                ["ONGOING"] = true,
            },
        }, new JsonSerializerOptions());
        Assert.True(added.StatusCode == HttpStatusCode.Created, await added.Content.ReadAsStringAsync());
        return (await added.JsonAsync()).GetProperty("id").GetGuid();
    }

    [GeneratedRegex(@"\{([A-Za-z]+)(?::[^}]*)?\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"<h1[^>]*>(.*?)</h1>", RegexOptions.Singleline)]
    private static partial Regex H1();

    private sealed record Page(string Template, bool Anonymous, string[] AllowedRoles)
    {
        public bool Allows(string role) => Anonymous || AllowedRoles.Contains(role, StringComparer.Ordinal);
    }
}

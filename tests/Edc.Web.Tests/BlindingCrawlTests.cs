using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Web.Tests.Infrastructure;

namespace Edc.Web.Tests;

/// <summary>
/// Blinding as a person meets it: signed in as each blinded role over the demonstration data, the crawler follows every
/// link it can reach (pages, forms, downloads, the API's answers linked from pages) and fails on an arm's code or name
/// anywhere in what comes back: text, titles, attributes, hidden fields, headers.
/// </summary>
[Collection(DemoWebCollection.Name)]
public sealed partial class BlindingCrawlTests(DemoWebApp web)
{
    // Every distinct page shape is opened (a participant's casebook, a visit's form...), a few instances of each.
    private const int PagesPerShape = 2;
    private const int MaxPages = 150;

    private static readonly string[] ArmNames = ["Belimumab 10 mg/kg IV + mycophenolate mofetil", "Placebo (normal saline) IV + mycophenolate mofetil"];

    private static readonly string[] NotFollowed = ["/sign-out", "/jobs", "/swagger", "/openapi", "/_framework", "/_content", "/css/", "/js/", "/lib/"];

    [Theory]
    [InlineData("coordinator@edc.local")]
    [InlineData("investigator@edc.local")]
    [InlineData("dsmb@edc.local")]
    [InlineData("monitor@edc.local")]
    [InlineData("datamanager@edc.local")]
    [InlineData(EdcApiFactory.AdminEmail)]
    public async Task BlindedRole_FollowingEveryLinkItReaches_MeetsNoArm(string email)
    {
        var crawl = await CrawlAsync(email);

        Assert.True(crawl.Visited.Count >= 3, $"only {crawl.Visited.Count} pages reached: {string.Join(", ", crawl.Visited)}");
        Assert.True(crawl.Leaks.Count == 0, string.Join("\n", crawl.Leaks));
        Assert.True(crawl.Broken.Count == 0, "links that do not open: " + string.Join(", ", crawl.Broken)); // a page links only what its reader may open
    }

    [Fact]
    public async Task Crawler_MeetsTheArms_WhereTheUnblindedStatisticianMaySeeThem()
    {
        // The crawler is shown to find an arm where one is legitimately shown: its silence above means something.
        var crawl = await CrawlAsync("statistician@edc.local");

        Assert.NotEmpty(crawl.Leaks);
    }

    private async Task<Crawl> CrawlAsync(string email)
    {
        // The demonstration accounts share the admin's password.
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, EdcApiFactory.AdminPassword);
        Assert.DoesNotContain("/sign-in", page.Url, StringComparison.Ordinal);

        var crawl = new Crawl();
        var queue = new Queue<string>(["/"]);
        var seen = new HashSet<string>(StringComparer.Ordinal) { "/" };
        var shapes = new Dictionary<string, int>(StringComparer.Ordinal);
        while (queue.TryDequeue(out var url) && crawl.Visited.Count < MaxPages)
        {
            var shape = Shape(url);
            shapes[shape] = shapes.GetValueOrDefault(shape) + 1;
            if (shapes[shape] > PagesPerShape)
            {
                continue;
            }

            var response = await page.Context.APIRequest.GetAsync(url);
            crawl.Visited.Add($"{url} {response.Status}");
            if (response.Status >= 400)
            {
                crawl.Broken.Add($"{url} {response.Status}");
            }

            var headers = string.Join("\n", response.Headers.Select(h => $"{h.Key}: {h.Value}"));
            var isPage = response.Headers.TryGetValue("content-type", out var type) && type.StartsWith("text/html", StringComparison.Ordinal)
                && !url.StartsWith("/api/", StringComparison.Ordinal);
            string text;
            if (isPage)
            {
                await page.GotoAsync(url);
                text = await page.ContentAsync();
                foreach (var href in await page.Locator("a[href]").EvaluateAllAsync<string[]>("links => links.map(a => a.getAttribute('href'))"))
                {
                    if (Local(href) is { } next && seen.Add(next))
                    {
                        queue.Enqueue(next);
                    }
                }
            }
            else
            {
                text = await response.TextAsync();
            }

            crawl.Leaks.AddRange(ArmsIn(headers + "\n" + text).Select(arm => $"{url}: {arm}"));
        }

        await page.Context.CloseAsync();
        return crawl;
    }

    private static IEnumerable<string> ArmsIn(string text) =>
        ArmCode().Matches(text).Select(m => $"arm code {m.Value} in \"…{Around(text, m.Index)}…\"")
            .Concat(ArmNames.Where(name => text.Contains(name, StringComparison.OrdinalIgnoreCase)).Select(name => $"arm name {name}"));

    private static string Around(string text, int index) => text.Substring(Math.Max(0, index - 60), Math.Min(120, text.Length - Math.Max(0, index - 60)));

    /// <summary>A same-site address to follow, without its fragment; null for other sites, actions and the framework's files.</summary>
    private static string? Local(string? href)
    {
        if (string.IsNullOrWhiteSpace(href) || !href.StartsWith('/') || href.StartsWith("//", StringComparison.Ordinal))
        {
            return null;
        }

        var path = href.Split('#')[0];
        return path.Length == 0 || NotFollowed.Any(n => path.StartsWith(n, StringComparison.Ordinal)) ? null : path;
    }

    /// <summary>The page's shape: ids, visit and form codes and query values left out (a casebook is a casebook).</summary>
    private static string Shape(string url)
    {
        var parts = url.Split('?', 2);
        var path = Id().Replace(parts[0], "{id}");
        path = CodeAfter().Replace(path, "$1/{code}");
        var query = parts.Length > 1 ? "?" + string.Join("&", parts[1].Split('&').Select(p => p.Split('=')[0]).Order(StringComparer.Ordinal)) : string.Empty;
        return path + query;
    }

    // A trial's arm codes as words: "BEL" inside "BELIMUMAB-DCSSC", the trial's code, is not one.
    [GeneratedRegex(@"(?<![A-Za-z0-9])(BEL|PBO)(?![A-Za-z0-9])")]
    private static partial Regex ArmCode();

    [GeneratedRegex("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")]
    private static partial Regex Id();

    [GeneratedRegex("(/visits|/forms)/[^/?]+")]
    private static partial Regex CodeAfter();

    private sealed class Crawl
    {
        public List<string> Visited { get; } = [];

        public List<string> Leaks { get; } = [];

        public List<string> Broken { get; } = [];
    }
}

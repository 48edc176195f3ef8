using System.Text.Json;
using Microsoft.Playwright;

namespace Edc.Web.Tests.Infrastructure;

/// <summary>
/// Runs axe-core (from npm, copied beside the tests by the project's build) in a page and fails on any violation of
/// impact serious or critical. The page's context must bypass the content security policy
/// (<c>WebApp.NewPageAsync(bypassCsp: true)</c>): the policy rightly refuses the injected script.
/// </summary>
public static class AxeCheck
{
    private static readonly string ScriptPath = Path.Combine(AppContext.BaseDirectory, "axe.min.js");

    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        Assert.True(File.Exists(ScriptPath), $"axe-core is missing at {ScriptPath}: build the test project (it runs npm ci).");
        await page.AddScriptTagAsync(new PageAddScriptTagOptions { Path = ScriptPath });
        var violations = await page.EvaluateAsync<JsonElement>(
            """
            async () => {
                const results = await axe.run(document, { resultTypes: ['violations'] });
                return results.violations.map(v => ({
                    id: v.id, impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' '))
                }));
            }
            """);
        var serious = violations.EnumerateArray()
            .Where(v => v.GetProperty("impact").GetString() is "serious" or "critical")
            .Select(v => $"{v.GetProperty("impact").GetString()} {v.GetProperty("id").GetString()}: {v.GetProperty("help").GetString()} at "
                + string.Join(", ", v.GetProperty("nodes").EnumerateArray().Select(n => n.GetString())))
            .ToList();
        Assert.True(serious.Count == 0, $"Accessibility violations on {page.Url}:\n" + string.Join("\n", serious));
    }
}

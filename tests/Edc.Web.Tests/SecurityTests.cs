using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>What protects the pages: security headers, anti-forgery, the API's own 401, and the jobs dashboard under the policy.</summary>
[Collection(WebCollection.Name)]
public sealed class SecurityTests(WebApp web)
{
    [Fact]
    public async Task Pages_HaveTheSecurityHeaders_AndRunUnderThePolicyWithoutViolations()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();
        var problems = ConsoleErrors.Collect(page);

        var signIn = await page.GotoAsync("/sign-in");
        AssertSecurityHeaders(await signIn!.AllHeadersAsync());
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        var home = await page.GotoAsync("/");
        AssertSecurityHeaders(await home!.AllHeadersAsync());

        // Blazor's script is Edc's own file, so it runs under script-src 'self'.
        Assert.True(await page.EvaluateAsync<bool>("() => typeof Blazor !== 'undefined'"), "blazor.web.js did not run.");
        Assert.True(problems.Count == 0, "Console errors: " + string.Join("\n", problems));
    }

    [Fact]
    public async Task Forms_PostedWithoutTheAntiforgeryToken_AreRefused()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        var request = page.Context.APIRequest;

        var signIn = await request.PostAsync("/sign-in", new APIRequestContextOptions
        {
            Form = Form(request, ("_handler", "sign-in"), ("Form.Email", email), ("Form.Password", TestData.UserPassword)),
            MaxRedirects = 0,
        });
        Assert.Equal(400, signIn.Status);

        var signOut = await request.PostAsync("/sign-out", new APIRequestContextOptions { Form = Form(request, ("x", "1")), MaxRedirects = 0 });
        Assert.Equal(400, signOut.Status);

        // The session is still live: the refused sign-out changed nothing.
        await page.GotoAsync("/");
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task Api_WithoutCredentials_Answers401_EvenToABrowser()
    {
        var page = await web.NewPageAsync();
        var plain = await page.Context.APIRequest.GetAsync("/api/trials", new APIRequestContextOptions { MaxRedirects = 0 });
        Assert.Equal(401, plain.Status);
        Assert.StartsWith("application/problem+json", plain.Headers["content-type"], StringComparison.Ordinal);

        var navigation = await page.GotoAsync("/api/trials");
        Assert.Equal(401, navigation!.Status);
        Assert.Equal("/api/trials", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task JobsDashboard_OpensForTheAdminsCookieSession_AndForNoOtherRole()
    {
        var page = await web.NewPageAsync();
        var problems = ConsoleErrors.Collect(page);
        await page.GotoAsync("/jobs");
        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        await WebApp.SignInAsync(page, EdcApiFactory.AdminEmail, EdcApiFactory.AdminPassword);

        Assert.Equal("/jobs", new Uri(page.Url).AbsolutePath);
        Assert.Contains("Edc jobs", await page.TitleAsync(), StringComparison.Ordinal);
        var recurring = await page.GotoAsync("/jobs/recurring");
        Assert.Equal(200, recurring!.Status);
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
        Assert.True(problems.Count == 0, "Console errors on the dashboard: " + string.Join("\n", problems));

        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var coordinator = await web.NewPageAsync();
        await WebApp.SignInAsync(coordinator, email, TestData.UserPassword);
        var refused = await coordinator.GotoAsync("/jobs");
        Assert.Equal(403, refused!.Status);
    }

    [Fact]
    public async Task ApiExplorer_WorksUnderItsOwnPolicy()
    {
        var page = await web.NewPageAsync();
        var problems = ConsoleErrors.Collect(page);
        var response = await page.GotoAsync("/swagger/index.html");
        Assert.Contains("frame-ancestors 'none'", (await response!.AllHeadersAsync())["content-security-policy"], StringComparison.Ordinal);
        await page.Locator(".opblock").First.WaitForAsync();
        Assert.True(problems.Count == 0, "Console errors on the API explorer: " + string.Join("\n", problems));
    }

    private static void AssertSecurityHeaders(Dictionary<string, string> headers)
    {
        var policy = headers["content-security-policy"];
        Assert.Contains("default-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("script-src 'self';", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("DENY", headers["x-frame-options"]);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
        Assert.Equal("same-origin", headers["referrer-policy"]);
    }

    private static IFormData Form(IAPIRequestContext request, params (string Name, string Value)[] fields)
    {
        var form = request.CreateFormData();
        foreach (var (name, value) in fields)
        {
            form.Set(name, value);
        }

        return form;
    }
}

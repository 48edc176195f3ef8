using System.Text.RegularExpressions;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests;

/// <summary>Signing in and out in Chromium: the same accounts and session rows as the API's tokens.</summary>
[Collection(WebCollection.Name)]
public sealed partial class SignInTests(WebApp web)
{
    [Fact]
    public async Task SignIn_WithWrongPassword_ShowsAnErrorAndStaysOnTheSignInPage()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();

        await WebApp.SignInAsync(page, email, "Not-The-Right-Password");

        Assert.EndsWith("/sign-in", new Uri(page.Url).AbsolutePath, StringComparison.Ordinal);
        var alert = page.GetByRole(AriaRole.Alert);
        Assert.Contains("email or password is not correct", await alert.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(email, await page.GetByLabel("Email").InputValueAsync());
        Assert.Equal(string.Empty, await page.GetByLabel("Password").InputValueAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Empty(await page.Context.CookiesAsync([web.BaseAddress.ToString()]).ContinueWith(c => c.Result.Where(x => x.Name == "edc_session").ToList()));
    }

    [Fact]
    public async Task SignIn_FromTheStartPage_ReturnsThereListingTheUsersTrials()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();

        await page.GotoAsync("/");
        Assert.Equal("/sign-in", new Uri(page.Url).AbsolutePath);
        Assert.Equal("?returnUrl=%2F", new Uri(page.Url).Query);

        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        Assert.Equal("Your trials", await page.Locator("h1").InnerTextAsync());
        Assert.Equal(1, await page.Locator("h1").CountAsync());
        Assert.Contains(EdcApiFactory.DemoTrialCode, await page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains(email, await page.Locator("header").InnerTextAsync(), StringComparison.Ordinal);

        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "edc_session");
        Assert.True(cookie.HttpOnly);
        Assert.Equal(SameSiteAttribute.Strict, cookie.SameSite);
        Assert.False(cookie.Secure); // served over plain HTTP here; Secure whenever the request is HTTPS
    }

    [Fact]
    public async Task SignIn_WithAReturnUrlElsewhere_StaysOnThisSite()
    {
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await page.GotoAsync("/sign-in?returnUrl=" + Uri.EscapeDataString("//evil.example/steal"));

        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        Assert.Equal(web.BaseAddress.Authority, new Uri(page.Url).Authority);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
    }

    [Fact]
    public async Task SignOut_FromTheButton_EndsTheSessionOnTheServer()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Investigator);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        var cookie = Assert.Single(await page.Context.CookiesAsync(), c => c.Name == "edc_session");

        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.WaitForURLAsync(SignInPage());
        await page.GotoAsync("/");
        await page.WaitForURLAsync(SignInPage());

        // The cookie as it was before signing out, in another browser: its session row is revoked.
        var copy = await web.NewPageAsync();
        await copy.Context.AddCookiesAsync([new Cookie { Name = cookie.Name, Value = cookie.Value, Domain = cookie.Domain, Path = cookie.Path }]);
        await copy.GotoAsync("/");
        await copy.WaitForURLAsync(SignInPage());
        var api = await copy.Context.APIRequest.GetAsync("/api/me");
        Assert.Equal(401, api.Status);
    }

    [Fact]
    public async Task Session_WhenTheAdminDeactivatesTheUserThroughTheApi_EndsAtTheNextPage()
    {
        var (id, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);

        var response = await web.Admin.PatchAsync($"/api/users/{id}", System.Net.Http.Json.JsonContent.Create(new { active = false }));
        response.EnsureSuccessStatusCode();

        await page.GotoAsync("/");
        await page.WaitForURLAsync(SignInPage());
    }

    [Fact]
    public async Task Session_SignedOutThroughTheApiWithItsCookie_EndsTheWebSession()
    {
        var (_, email) = await web.CreateUserAsync(Roles.DsmbMember);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        // The API's logout, sent with the browser's cookie: the same session row as the page's.
        var logout = await page.Context.APIRequest.PostAsync("/api/auth/logout");
        Assert.Equal(204, logout.Status);

        await page.GotoAsync("/");
        await page.WaitForURLAsync(SignInPage());
    }

    [Fact]
    public async Task Session_IdleLongerThanItsTimeout_IsEndedByTheServer_AndEachRequestPushesTheTimeoutBack()
    {
        var (id, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync();
        await WebApp.SignInAsync(page, email, TestData.UserPassword);

        // As if 25 minutes had passed without a request: the next page renews the row to 30 minutes from now. (The server
        // hears of an UPDATE made behind its back through the database's announcement, a moment later: hence the polls.)
        await Sql.ExecuteAsync(web.Api.ConnectionString, "UPDATE auth_sessions SET expires_at = now() + interval '5 minutes' WHERE user_id = @p", id);
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync("/");
            Assert.Equal("/", new Uri(page.Url).AbsolutePath);
            var left = await Sql.ScalarAsync<double>(
                web.Api.ConnectionString, "SELECT extract(epoch FROM max(expires_at) - now())::float8 FROM auth_sessions WHERE user_id = @p", id);
            return left is >= 28 * 60 and <= 30 * 60 + 5;
        });

        // As if 30 minutes had passed: the row has expired, whatever the cookie says.
        await Sql.ExecuteAsync(web.Api.ConnectionString, "UPDATE auth_sessions SET expires_at = now() - interval '1 second' WHERE user_id = @p", id);
        await Eventually.HoldsAsync(async () =>
        {
            await page.GotoAsync("/");
            return SignInPage().IsMatch(page.Url);
        });
    }

    [GeneratedRegex("/sign-in(\\?|$)")]
    private static partial Regex SignInPage();
}

using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;
using Edc.Web.Tests.Infrastructure;

namespace Edc.Web.Tests;

/// <summary>axe-core in each page: no violation of impact serious or critical.</summary>
[Collection(WebCollection.Name)]
public sealed class AccessibilityTests(WebApp web)
{
    [Fact]
    public async Task SignInPage_HasNoSeriousAccessibilityViolation()
    {
        var page = await web.NewPageAsync(bypassCsp: true);
        await page.GotoAsync("/sign-in");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);

        // With its errors shown too.
        await WebApp.SignInAsync(page, "nobody@test.local", "Not-The-Right-Password");
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }

    [Fact]
    public async Task StartPage_HasNoSeriousAccessibilityViolation()
    {
        var (_, email) = await web.CreateUserAsync(Roles.Coordinator);
        var page = await web.NewPageAsync(bypassCsp: true);
        await WebApp.SignInAsync(page, email, TestData.UserPassword);
        Assert.Equal("/", new Uri(page.Url).AbsolutePath);
        await AxeCheck.AssertNoSeriousViolationsAsync(page);
    }
}

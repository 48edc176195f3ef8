using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;

namespace Edc.Api.Tests;

/// <summary>Failed sign-ins from one address, over many accounts, stop that address's sign-ins, the API's and the web's.</summary>
public sealed class AddressSignInLimitTests(SignInLimitedApiFactory api) : IClassFixture<SignInLimitedApiFactory>
{
    [Fact]
    public async Task Login_WhenAnAddressFailedTooOften_Returns429ForEveryAccountFromIt()
    {
        var client = api.Anonymous();
        for (var attempt = 1; attempt <= SignInLimitedApiFactory.FailuresPerAddress; attempt++)
        {
            // A new unknown account each time: no account reaches its own limit.
            var failed = await client.PostAsJsonAsync("/api/auth/login", new { email = $"nobody-{attempt}-{Guid.NewGuid():N}@test.local", password = "Not-The-Right-Password" });
            await failed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        var limited = await client.PostAsJsonAsync("/api/auth/login", new { email = EdcApiFactory.AdminEmail, password = EdcApiFactory.AdminPassword });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.Contains("Retry-After"));

        // The web's sign-in counts and refuses alike: the page says so in words, with the same status.
        var page = await client.SendAsync(WebSession.Html(HttpMethod.Get, "/sign-in"));
        var token = WebSession.TokenField().Match(await page.Content.ReadAsStringAsync()).Groups[1].Value;
        var form = WebSession.Html(HttpMethod.Post, "/sign-in");
        form.Content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["_handler"] = "sign-in",
            ["__RequestVerificationToken"] = token,
            ["Form.Email"] = EdcApiFactory.AdminEmail,
            ["Form.Password"] = EdcApiFactory.AdminPassword,
        });
        var webLimited = await client.SendAsync(form);
        Assert.Equal(HttpStatusCode.TooManyRequests, webLimited.StatusCode);
        Assert.Contains("Too many failed sign-ins", await webLimited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }
}

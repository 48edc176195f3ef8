using System.Net;
using System.Net.Http.Json;
using Edc.Api.Tests.Infrastructure;
using Edc.Domain.Security;

namespace Edc.Api.Tests;

/// <summary>
/// Sign-in limits fit a hospital whose users all come from one address: successful sign-ins are not counted at all,
/// failures are counted per account (here) and per address (<see cref="AddressSignInLimitTests"/>).
/// </summary>
public sealed class AccountSignInLimitTests(SignInLimitedApiFactory api) : IClassFixture<SignInLimitedApiFactory>
{
    private const string WrongPassword = "Not-The-Right-Password";

    [Fact]
    public async Task Login_ThirtySuccessfulSignInsInAMinuteFromOneAddress_AllSucceed()
    {
        var client = api.Anonymous();
        for (var attempt = 1; attempt <= 30; attempt++)
        {
            var response = await client.PostAsJsonAsync("/api/auth/login", new { email = EdcApiFactory.AdminEmail, password = EdcApiFactory.AdminPassword });
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"Sign-in {attempt} answered {(int)response.StatusCode}.");
        }
    }

    [Fact]
    public async Task Login_WhenAnAccountFailedTooOften_Returns429ForThatAccountOnly()
    {
        var admin = await api.AdminAsync();
        var (_, email) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var (_, neighbour) = await admin.CreateUserAsync([Roles.DsmbMember]);
        var client = api.Anonymous();
        for (var attempt = 1; attempt <= SignInLimitedApiFactory.FailuresPerAccount; attempt++)
        {
            var failed = await client.PostAsJsonAsync("/api/auth/login", new { email, password = WrongPassword });
            await failed.AssertProblemAsync(HttpStatusCode.Unauthorized);
        }

        // Even the right password is refused now, before it is checked; the email is compared ignoring case.
        var limited = await client.PostAsJsonAsync("/api/auth/login", new { email = email.ToUpperInvariant(), password = TestData.UserPassword });
        await limited.AssertProblemAsync(HttpStatusCode.TooManyRequests);
        Assert.True(limited.Headers.TryGetValues("Retry-After", out var values), "No Retry-After header.");
        Assert.True(int.TryParse(Assert.Single(values), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var seconds));
        Assert.InRange(seconds, 1, 15 * 60);

        // The same address signs other accounts in: it has failed fewer times than its own limit.
        var other = await client.PostAsJsonAsync("/api/auth/login", new { email = neighbour, password = TestData.UserPassword });
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }
}

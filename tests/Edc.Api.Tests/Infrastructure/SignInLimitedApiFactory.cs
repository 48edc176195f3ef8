using System.Globalization;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>The API with low failed sign-in limits: three failures per account, six per address.</summary>
public sealed class SignInLimitedApiFactory : EdcApiFactory
{
    public const int FailuresPerAccount = 3;
    public const int FailuresPerAddress = 6;

    public SignInLimitedApiFactory()
    {
        WithSetting("Edc:RateLimits:FailedSignInsPerAccount", FailuresPerAccount.ToString(CultureInfo.InvariantCulture));
        WithSetting("Edc:RateLimits:FailedSignInsPerAddress", FailuresPerAddress.ToString(CultureInfo.InvariantCulture));
    }
}

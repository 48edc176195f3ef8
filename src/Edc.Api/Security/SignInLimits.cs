using System.Net;
using System.Threading.RateLimiting;
using Edc.Api.Common;

namespace Edc.Api.Security;

/// <summary>
/// Failed sign-ins counted per account and per address, each in a fixed window (defaults: 10 failures per account in
/// 15 minutes, 30 per address in 5 minutes; <c>Edc:RateLimits</c>). Only failures count, so a hospital whose users all
/// share one address signs in freely; an account's own lockout (5 failures) still comes first for a known account. The
/// counts are this instance's: with several instances an attacker gets each one's allowance.
/// </summary>
public sealed class SignInLimits : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;

    public SignInLimits(IConfiguration configuration)
    {
        var section = configuration.GetSection("Edc:RateLimits");
        var perAccount = Window(section.GetValue("FailedSignInsPerAccount", 10), section.GetValue("AccountWindowMinutes", 15.0));
        var perAddress = Window(section.GetValue("FailedSignInsPerAddress", 30), section.GetValue("AddressWindowMinutes", 5.0));
        _failures = PartitionedRateLimiter.Create<string, string>(key => RateLimitPartition.GetFixedWindowLimiter(
            key, _ => key.StartsWith("account:", StringComparison.Ordinal) ? perAccount : perAddress));
    }

    /// <summary>Throws <see cref="SignInThrottledException"/> when the account or the address has no failure left to spend.</summary>
    public void ThrowIfRefused(IPAddress? address, string? account)
    {
        foreach (var key in Keys(address, account))
        {
            // Zero permits asks whether any is left without spending one.
            using var lease = _failures.AttemptAcquire(key, 0);
            if (!lease.IsAcquired)
            {
                throw new SignInThrottledException(lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromMinutes(1));
            }
        }
    }

    public void CountFailure(IPAddress? address, string? account)
    {
        foreach (var key in Keys(address, account))
        {
            using var lease = _failures.AttemptAcquire(key);
        }
    }

    public void Dispose() => _failures.Dispose();

    private static FixedWindowRateLimiterOptions Window(int failures, double minutes) => new()
    {
        PermitLimit = failures,
        Window = TimeSpan.FromMinutes(minutes),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    private static IEnumerable<string> Keys(IPAddress? address, string? account)
    {
        if (address is not null)
        {
            yield return "address:" + address;
        }

        if (!string.IsNullOrWhiteSpace(account))
        {
            yield return "account:" + account.Trim().ToUpperInvariant();
        }
    }
}

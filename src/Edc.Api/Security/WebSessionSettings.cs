namespace Edc.Api.Security;

/// <summary>
/// The web's cookie session: its schemes and how long it lives without activity. The session row expires after the
/// idle time and every request through the cookie pushes that back (<see cref="SessionValidation"/>), so inactivity ends
/// the session on the server, not only in the browser.
/// </summary>
public sealed class WebSessionSettings(IConfiguration configuration)
{
    /// <summary>The cookie's scheme; a cookie principal's identity carries it as its authentication type.</summary>
    public const string CookieScheme = "Edc.Web";

    /// <summary>The default scheme: the bearer token when the request carries one, else the cookie.</summary>
    public const string PolicyScheme = "Edc.BearerOrCookie";

    public const string CookieName = "edc_session";

    public TimeSpan IdleTimeout { get; } = TimeSpan.FromMinutes(configuration.GetValue("Edc:Web:IdleMinutes", 30.0));

    /// <summary>How stale the row's expiry may get before a request renews it: a write a minute at most, not one a request.</summary>
    public TimeSpan RenewalStep => IdleTimeout / 30;
}

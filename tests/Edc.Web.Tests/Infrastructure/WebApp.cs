using Edc.Api.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Edc.Web.Tests.Infrastructure;

/// <summary>
/// Edc on a real Kestrel port over a database of its own (the API tests' <see cref="EdcApiFactory"/>) and Debian's
/// Chromium driven by Playwright, shared by the browser test classes of <see cref="WebCollection"/>. Each test opens its
/// own browser context, so cookies never leak between tests.
/// </summary>
public class WebApp : IAsyncLifetime
{
    // xUnit builds a fixture through its one public constructor; a fixture over another server passes its own.
    public WebApp()
        : this(new EdcApiFactory())
    {
    }

    protected WebApp(EdcApiFactory api) => Api = api;

    /// <summary>Debian's Chromium (package <c>chromium</c>); Playwright's own browser download is never used.</summary>
    public const string ChromiumPath = "/usr/bin/chromium";

    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private HttpClient? _admin;

    public EdcApiFactory Api { get; }

    /// <summary>The server's address, e.g. <c>http://127.0.0.1:41234</c>.</summary>
    public Uri BaseAddress { get; private set; } = new("http://localhost");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    /// <summary>The bootstrap admin, signed in to the API with a bearer token.</summary>
    public HttpClient Admin => _admin ?? throw new InvalidOperationException("The API has not started.");

    public async Task InitializeAsync()
    {
        await Api.InitializeAsync();
        BaseAddress = Api.Anonymous().BaseAddress!;
        _admin = await Api.AdminAsync();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
        });
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
        _admin?.Dispose();
        await ((IAsyncLifetime)Api).DisposeAsync();
    }

    /// <summary>
    /// A fresh browser context (no cookies) at the server's address. <paramref name="bypassCsp"/> only for injecting a test
    /// script such as axe-core, which the content security policy rightly refuses.
    /// </summary>
    public async Task<IPage> NewPageAsync(bool bypassCsp = false)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = BaseAddress.ToString().TrimEnd('/'),
            BypassCSP = bypassCsp,
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
        });
        return await context.NewPageAsync();
    }

    /// <summary>A new user with one role (at the demonstration site when the role is site-scoped); its password is <see cref="TestData.UserPassword"/>.</summary>
    public async Task<(Guid Id, string Email)> CreateUserAsync(string role)
    {
        var sites = Edc.Domain.Security.Roles.SiteScoped.Contains(role) ? new[] { await Admin.DemoSiteIdAsync() } : [];
        return await Admin.CreateUserAsync([role], sites);
    }

    /// <summary>Signs in through the sign-in page, as a person would, and waits for the page it leads to.</summary>
    public static async Task SignInAsync(IPage page, string email, string password, string path = "/sign-in")
    {
        if (!page.Url.Contains("/sign-in", StringComparison.Ordinal))
        {
            await page.GotoAsync(path);
        }

        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await page.WaitForLoadStateAsync(LoadState.NetworkIdle);
    }
}

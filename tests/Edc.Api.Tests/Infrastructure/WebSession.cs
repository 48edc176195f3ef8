using System.Net;
using System.Text.RegularExpressions;

namespace Edc.Api.Tests.Infrastructure;

/// <summary>
/// A browser's web session without the browser: signed in through the sign-in page's form, its cookies kept, pages asked
/// for as a browser asks (Accept: text/html) and forms posted with the anti-forgery token their page gives. Redirects are
/// answered, not followed, so a test sees where a page sends it.
/// </summary>
public sealed partial class WebSession : IDisposable
{
    private readonly HttpClient _client;

    private WebSession(HttpClient client) => _client = client;

    /// <summary>A session of no one: pages answer it as they answer a browser that has not signed in.</summary>
    public static WebSession Anonymous(EdcApiFactory api) =>
        new(new HttpClient(new SocketsHttpHandler { AllowAutoRedirect = false, CookieContainer = new CookieContainer() }) { BaseAddress = api.ClientOptions.BaseAddress });

    public static async Task<WebSession> SignInAsync(EdcApiFactory api, string email, string password)
    {
        var session = Anonymous(api);
        using var signedIn = await session.PostFormAsync("/sign-in", "sign-in", new() { ["Form.Email"] = email, ["Form.Password"] = password });
        Assert.True(signedIn.StatusCode == HttpStatusCode.Redirect, $"Signing in to the web as {email} answered {(int)signedIn.StatusCode}.");
        return session;
    }

    public async Task<HttpResponseMessage> GetAsync(string path)
    {
        var response = await _client.SendAsync(Html(HttpMethod.Get, path));
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    /// <summary>Opens <paramref name="path"/> and posts its form named <paramref name="handler"/> back with <paramref name="fields"/>.</summary>
    public async Task<HttpResponseMessage> PostFormAsync(string path, string handler, Dictionary<string, string> fields)
    {
        using var page = await GetAsync(path);
        var token = TokenField().Match(await page.Content.ReadAsStringAsync());
        Assert.True(token.Success, $"{path} answered {(int)page.StatusCode} without a form's anti-forgery token.");
        var request = Html(HttpMethod.Post, path);
        request.Content = new FormUrlEncodedContent(new Dictionary<string, string>(fields)
        {
            ["_handler"] = handler,
            ["__RequestVerificationToken"] = WebUtility.HtmlDecode(token.Groups[1].Value),
        });
        var response = await _client.SendAsync(request);
        await response.Content.LoadIntoBufferAsync();
        return response;
    }

    public void Dispose() => _client.Dispose();

    /// <summary>A request as a browser sends it for a page.</summary>
    internal static HttpRequestMessage Html(HttpMethod method, string path)
    {
        var request = new HttpRequestMessage(method, path);
        request.Headers.Accept.ParseAdd("text/html");
        return request;
    }

    /// <summary>The anti-forgery token of a page's form.</summary>
    [GeneratedRegex("name=\"__RequestVerificationToken\" value=\"([^\"]+)\"")]
    internal static partial Regex TokenField();
}

using System.Net;
using System.Text.RegularExpressions;

namespace Edc.Bench;

/// <summary>
/// A web session as a browser holds one: signed in through the sign-in page's form, its cookies (the session's and the
/// anti-forgery one) sent as one Cookie header, and the page forms read from their HTML to be posted as a browser posts them.
/// </summary>
internal sealed partial class WebSession : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _client;

    private WebSession(Uri baseAddress) =>
        _client = new HttpClient(new HttpClientHandler { CookieContainer = _cookies, AllowAutoRedirect = false }) { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(60) };

    /// <summary>The Cookie header a browser of this session sends.</summary>
    public string Cookie => _cookies.GetCookieHeader(_client.BaseAddress!);

    public static async Task<WebSession> SignInAsync(Uri baseAddress, string email, string password, CancellationToken ct)
    {
        var session = new WebSession(baseAddress);
        var form = await session.FormAsync("/sign-in", ct);
        form[form.Keys.Single(k => k.EndsWith("Email", StringComparison.Ordinal))] = email;
        form[form.Keys.Single(k => k.EndsWith("Password", StringComparison.Ordinal))] = password;
        using var answer = await session._client.PostAsync(new Uri("/sign-in", UriKind.Relative), new FormUrlEncodedContent(form), ct);
        if (answer.StatusCode != HttpStatusCode.Redirect || !session.Cookie.Contains("edc_session=", StringComparison.Ordinal))
        {
            throw new BenchException($"Signing in to the web as {email} answered {(int)answer.StatusCode} without a session cookie.");
        }

        return session;
    }

    /// <summary>The fields of the page's form (not the layout's sign-out form), with the values the page gives them.</summary>
    public async Task<Dictionary<string, string>> FormAsync(string path, CancellationToken ct)
    {
        var html = await _client.GetStringAsync(new Uri(path, UriKind.Relative), ct);
        var form = FormRegex().Matches(html).Select(m => m.Value).FirstOrDefault(f => !f.Contains("action=\"/sign-out\"", StringComparison.Ordinal))
            ?? throw new BenchException($"{path} has no form.");
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (Match input in InputRegex().Matches(form))
        {
            if (Attribute(input.Value, "name") is { } name && Attribute(input.Value, "type") is not ("checkbox" or "radio" or "submit"))
            {
                fields[name] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? string.Empty);
            }
        }

        return fields;
    }

    /// <summary>The form's inputs of a type (e.g. number, date, text), in page order.</summary>
    public static IEnumerable<string> NamesOfType(string html, string type) =>
        InputRegex().Matches(html).Where(m => Attribute(m.Value, "type") == type).Select(m => Attribute(m.Value, "name")).OfType<string>();

    public async Task<string> HtmlAsync(string path, CancellationToken ct) => await _client.GetStringAsync(new Uri(path, UriKind.Relative), ct);

    public void Dispose() => _client.Dispose();

    private static string? Attribute(string tag, string name) =>
        Regex.Match(tag, $"\\s{name}=\"([^\"]*)\"") is { Success: true } m ? m.Groups[1].Value : null;

    [GeneratedRegex("<form\\b.*?</form>", RegexOptions.Singleline)]
    private static partial Regex FormRegex();

    [GeneratedRegex("<input\\b[^>]*>")]
    private static partial Regex InputRegex();
}

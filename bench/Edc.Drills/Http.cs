using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Edc.Drills;

/// <summary>One answer: status, media type and body as text.</summary>
internal sealed record Answer(int Status, string? MediaType, string Body)
{
    public bool Ok => Status is >= 200 and < 300;

    /// <summary>An RFC 9457 body: application/problem+json whose status matches the answer's and with a type.</summary>
    public bool IsProblem
    {
        get
        {
            if (MediaType != "application/problem+json")
            {
                return false;
            }

            try
            {
                using var document = JsonDocument.Parse(Body);
                var root = document.RootElement;
                return root.ValueKind == JsonValueKind.Object
                    && root.TryGetProperty("status", out var status) && status.ValueKind == JsonValueKind.Number && status.GetInt32() == Status
                    && root.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String && type.GetString()!.Length > 0
                    && root.TryGetProperty("title", out _);
            }
            catch (JsonException)
            {
                return false;
            }
        }
    }

    public string? ProblemType
    {
        get
        {
            try
            {
                using var document = JsonDocument.Parse(Body);
                return document.RootElement.TryGetProperty("type", out var type) ? type.GetString() : null;
            }
            catch (JsonException)
            {
                return null;
            }
        }
    }

    public JsonElement Json()
    {
        using var document = JsonDocument.Parse(Body);
        return document.RootElement.Clone();
    }

    public static async Task<Answer> ReadAsync(HttpResponseMessage response, CancellationToken ct) =>
        new((int)response.StatusCode, response.Content.Headers.ContentType?.MediaType, await response.Content.ReadAsStringAsync(ct));
}

internal static class Http
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpClient Client(Uri baseAddress, string? token = null, int timeoutSeconds = 60)
    {
        var client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(timeoutSeconds) };
        if (token is not null)
        {
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        }

        return client;
    }

    public static async Task<string> SignInAsync(Uri baseAddress, string email, string password, CancellationToken ct)
    {
        using var client = Client(baseAddress);
        var answer = await SendAsync(client, HttpMethod.Post, "/api/auth/login", new { email, password }, null, ct);
        return Expect(answer, "sign-in of " + email).GetProperty("accessToken").GetString()!;
    }

    public static async Task<Answer> SendAsync(HttpClient client, HttpMethod method, string path, object? body, string? idempotencyKey, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, new Uri(path, UriKind.Relative));
        if (body is not null)
        {
            request.Content = JsonContent.Create(body, options: Json);
        }

        if (idempotencyKey is not null)
        {
            request.Headers.Add("Idempotency-Key", idempotencyKey);
        }

        using var response = await client.SendAsync(request, ct);
        return await Answer.ReadAsync(response, ct);
    }

    public static Task<Answer> GetAsync(HttpClient client, string path, CancellationToken ct) => SendAsync(client, HttpMethod.Get, path, null, null, ct);

    public static Task<Answer> PostAsync(HttpClient client, string path, object? body, CancellationToken ct, string? key = null) =>
        SendAsync(client, HttpMethod.Post, path, body, key, ct);

    public static Task<Answer> PutAsync(HttpClient client, string path, object? body, CancellationToken ct) =>
        SendAsync(client, HttpMethod.Put, path, body, null, ct);

    public static JsonElement Expect(Answer answer, string what) =>
        answer.Ok ? (answer.Body.Length == 0 ? default : answer.Json()) : throw new DrillException($"{what} answered {answer.Status}: {Truncate(answer.Body)}");

    public static string Truncate(string text, int length = 300) => text.Length <= length ? text : text[..length] + "…";

    public static StringContent Raw(string body, string mediaType = "application/json") => new(body, Encoding.UTF8, mediaType);
}

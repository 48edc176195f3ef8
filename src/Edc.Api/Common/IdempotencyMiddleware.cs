using System.Security.Cryptography;
using System.Text;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Common;

/// <summary>
/// Makes endpoints marked <see cref="Idempotency.Idempotent{TBuilder}"/> safe to retry. The first request with a
/// user's <c>Idempotency-Key</c> claims the key (a row in idempotency_records) before it runs; its response is kept
/// for 24 hours and replayed to a retry with the same method, path, query and body, which runs nothing.
/// A retry with another request under the key answers 422 (checked first); one while the first still runs, 409.
/// Only 2xx responses are kept: anything else created nothing, so the key is let go and a retry (or a corrected
/// request under the same key) runs again. Runs after authorization, so only permitted requests claim keys.
/// </summary>
public sealed class IdempotencyMiddleware(RequestDelegate next, ILogger<IdempotencyMiddleware> logger)
{
    public const string KeyHeader = "Idempotency-Key";
    public const string ReplayedHeader = "Idempotent-Replayed";
    public const int MaxKeyLength = 200;

    public static readonly TimeSpan Lifetime = TimeSpan.FromHours(24);

    /// <summary>How long a failed release of a key is retried in the background (the database may be down for a while).</summary>
    public static readonly TimeSpan ReleaseRetryPeriod = TimeSpan.FromMinutes(5);

    /// <summary>How many times a completed request's response is tried to be kept before its key is left in doubt.</summary>
    private const int KeepAttempts = 3;

    public async Task InvokeAsync(
        HttpContext context, EdcDbContext db, CurrentUser user, TimeProvider clock, IProblemDetailsService problems, IServiceScopeFactory scopes)
    {
        if (context.GetEndpoint()?.Metadata.GetMetadata<IdempotentEndpoint>() is not { } idempotent
            || !context.Request.Headers.TryGetValue(KeyHeader, out var keys)
            || user.Id is not { } userId)
        {
            await next(context);
            return;
        }

        if (keys.Count != 1 || keys[0] is not { } key || !IsValidKey(key))
        {
            await WriteProblemAsync(context, problems, new HttpValidationProblemDetails(new Dictionary<string, string[]>
            {
                [KeyHeader] = [$"Send one key of 1 to {MaxKeyLength} printable ASCII characters."],
            })
            {
                Status = StatusCodes.Status400BadRequest,
                Type = ProblemMapping.TypePrefix + "validation",
                Title = "The request is invalid.",
                Detail = "The Idempotency-Key header is not valid.",
            });
            return;
        }

        var ct = context.RequestAborted;
        var hash = await HashAsync(context.Request, idempotent.SecretFields, ct);

        // Up to three tries: a key can be let go (the first request failed) between our insert and our read.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var now = clock.GetUtcNow();
            var expired = now - Lifetime;

            // The user's expired keys go first: an expired key is new again, and the table stays small.
            await db.IdempotencyRecords.Where(r => r.UserId == userId && r.CreatedAt < expired).ExecuteDeleteAsync(ct);
            var claimed = await db.Database.ExecuteSqlAsync(
                $"""
                INSERT INTO idempotency_records (user_id, key, request_hash, created_at)
                VALUES ({userId}, {key}, {hash}, {now})
                ON CONFLICT (user_id, key) DO NOTHING
                """,
                ct);
            if (claimed == 1)
            {
                await RunAndRecordAsync(context, scopes, clock, userId, key);
                return;
            }

            var record = await db.IdempotencyRecords.AsNoTracking().SingleOrDefaultAsync(r => r.UserId == userId && r.Key == key, ct);
            if (record is null)
            {
                continue;
            }

            if (!string.Equals(record.RequestHash, hash, StringComparison.Ordinal))
            {
                await WriteProblemAsync(context, problems, ProblemMapping.Problem(
                    StatusCodes.Status422UnprocessableEntity, "idempotency-key-reused", "The Idempotency-Key belongs to another request.",
                    "This key was first used with a different method, path or body. Use a new key for a new request."));
                return;
            }

            if (record.CompletedAt is null)
            {
                break;
            }

            context.Response.StatusCode = record.StatusCode!.Value;
            if (record.ContentType is not null)
            {
                context.Response.ContentType = record.ContentType;
            }

            if (record.Location is not null)
            {
                context.Response.Headers.Location = record.Location;
            }

            context.Response.Headers[ReplayedHeader] = "true";
            var body = record.ResponseBody ?? [];
            context.Response.ContentLength = body.Length;
            await context.Response.Body.WriteAsync(body, ct);
            return;
        }

        context.Response.Headers.RetryAfter = "1";
        await WriteProblemAsync(context, problems, ProblemMapping.Problem(
            StatusCodes.Status409Conflict, "idempotency-key-in-use", "A request with this Idempotency-Key is still running.",
            "Retry after it has finished to receive its response."));
    }

    /// <summary>Printable ASCII only, so a key is stored and compared exactly as sent.</summary>
    private static bool IsValidKey(string key) =>
        key.Length is > 0 and <= MaxKeyLength && key.All(c => c is >= ' ' and <= '~');

    /// <summary>
    /// SHA-256 of method, path, query and body; the body is buffered (at most 1 MB) so the endpoint reads it again. With
    /// secret fields, the body is hashed as a JSON object without them (a body that is no JSON object, as sent).
    /// </summary>
    private static async Task<string> HashAsync(HttpRequest request, IReadOnlyList<string> secretFields, CancellationToken cancellationToken)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{request.Method}\n{request.PathBase}{request.Path}{request.QueryString}\n"));
        request.EnableBuffering();
        if (secretFields.Count > 0)
        {
            using var body = new MemoryStream();
            await request.Body.CopyToAsync(body, cancellationToken);
            hash.AppendData(WithoutSecrets(body.ToArray(), secretFields));
        }
        else
        {
            var chunk = new byte[16 * 1024];
            int read;
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken)) > 0)
            {
                hash.AppendData(chunk, 0, read);
            }
        }

        request.Body.Position = 0;
        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static byte[] WithoutSecrets(byte[] body, IReadOnlyList<string> secretFields)
    {
        try
        {
            if (System.Text.Json.Nodes.JsonNode.Parse(body) is not System.Text.Json.Nodes.JsonObject json)
            {
                return body;
            }

            foreach (var name in json.Select(p => p.Key).Where(k => secretFields.Contains(k, StringComparer.OrdinalIgnoreCase)).ToList())
            {
                json.Remove(name);
            }

            return Encoding.UTF8.GetBytes(json.ToJsonString());
        }
        catch (Exception invalid) when (invalid is System.Text.Json.JsonException or ArgumentException or InvalidOperationException)
        {
            // Not JSON (or a field twice): the endpoint refuses it (400), which lets the key go.
            return body;
        }
    }

    private async Task RunAndRecordAsync(HttpContext context, IServiceScopeFactory scopes, TimeProvider clock, Guid userId, string key)
    {
        var response = context.Response;
        var original = response.Body;
        using var buffer = new MemoryStream();
        response.Body = buffer;
        try
        {
            await next(context);
        }
        catch (Exception exception) when (exception is not CommitOutcomeUnknownException)
        {
            // A commit whose outcome is unknown may have saved the change: its key stays claimed (409) until it expires.
            await ReleaseAsync(scopes, userId, key);
            throw;
        }
        finally
        {
            response.Body = original;
        }

        // Not cancellable: a client that hung up must not leave its key "running" for 24 hours.
        if (response.StatusCode is >= 200 and < 300)
        {
            var completedAt = clock.GetUtcNow();
            var statusCode = response.StatusCode;
            var contentType = response.ContentType;
            var location = response.Headers.Location.Count > 0 ? response.Headers.Location.ToString() : null;
            var body = buffer.ToArray();
            // On a context of its own: the request's connection may have died right after its commit. A lost connection
            // is tried again on a new one, a few times: a key left unkept answers 409 for a day.
            for (var attempt = 1; ; attempt++)
            {
                try
                {
                    await using var scope = scopes.CreateAsyncScope();
                    await scope.ServiceProvider.GetRequiredService<EdcDbContext>().IdempotencyRecords
                        .Where(r => r.UserId == userId && r.Key == key)
                        .ExecuteUpdateAsync(
                            setters => setters
                                .SetProperty(r => r.CompletedAt, completedAt)
                                .SetProperty(r => r.StatusCode, statusCode)
                                .SetProperty(r => r.ContentType, contentType)
                                .SetProperty(r => r.Location, location)
                                .SetProperty(r => r.ResponseBody, body),
                            CancellationToken.None);
                    break;
                }
                catch (Exception exception) when (DatabaseFailures.IsUnavailable(exception))
                {
                    if (attempt < KeepAttempts)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(100 * attempt), CancellationToken.None);
                        continue;
                    }

                    // The change is saved: the client still gets its answer, and the key, not completed, answers 409 until
                    // it expires, so a retry creates nothing twice.
                    logger.LogWarning(exception, "Could not keep the response of an idempotent request; its key stays claimed until it expires");
                    break;
                }
            }
        }
        else
        {
            await ReleaseAsync(scopes, userId, key);
        }

        buffer.Position = 0;
        await buffer.CopyToAsync(original, context.RequestAborted);
    }

    /// <summary>
    /// Lets go of a key whose request created nothing (or failed), so a retry runs again. On a context of its own (the
    /// request's may hold a broken connection or a dead transaction); when the database cannot be reached, retried in
    /// the background for <see cref="ReleaseRetryPeriod"/>, so a key is not left answering 409 after an outage.
    /// </summary>
    private async Task ReleaseAsync(IServiceScopeFactory scopes, Guid userId, string key)
    {
        if (await TryReleaseAsync(scopes, userId, key, final: false))
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            var delay = TimeSpan.FromSeconds(1);
            var deadline = DateTime.UtcNow + ReleaseRetryPeriod;
            var released = false;
            while (!released && DateTime.UtcNow < deadline)
            {
                await Task.Delay(delay);
                delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks));
                released = await TryReleaseAsync(scopes, userId, key, final: DateTime.UtcNow + delay >= deadline);
            }
        });
    }

    private async Task<bool> TryReleaseAsync(IServiceScopeFactory scopes, Guid userId, string key, bool final)
    {
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var db = scope.ServiceProvider.GetRequiredService<EdcDbContext>();
            await db.IdempotencyRecords
                .Where(r => r.UserId == userId && r.Key == key && r.CompletedAt == null)
                .ExecuteDeleteAsync(CancellationToken.None);
            return true;
        }
        catch (Exception exception)
        {
            // The request's own outcome matters more. Given up: the key answers 409 until it expires, which is safe.
            if (final)
            {
                logger.LogWarning(exception, "Gave up releasing an idempotency key after a request that created nothing");
            }
            else
            {
                logger.LogInformation(exception, "Could not release an idempotency key yet; retrying");
            }

            return false;
        }
    }

    private static async Task WriteProblemAsync(HttpContext context, IProblemDetailsService problems, ProblemDetails problem)
    {
        context.Response.StatusCode = problem.Status!.Value;
        await problems.WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
    }
}

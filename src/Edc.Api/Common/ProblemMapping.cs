using System.Diagnostics;
using System.Text.Json;
using Edc.Domain.Common;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Edc.Api.Common;

/// <summary>
/// Maps every exception that reaches the top of the pipeline to an RFC 9457 problem body. Nothing of the
/// exception itself (stack, SQL, inner messages) goes out; unexpected ones are logged with the trace id.
/// </summary>
public sealed class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    public const string TypePrefix = "urn:edc:problem:";

    /// <summary>
    /// A validation failure's <c>CustomState</c> when its property name is already the client's own path ending in a key of
    /// the client's data (e.g. "eligibility.INC_AGE"): kept exactly as it is, not camel-cased.
    /// </summary>
    public static readonly object DataKey = new();

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = EnumValueProblems.TryDescribe(httpContext, exception) ?? ToProblem(exception);
        if (problem.Status >= 500)
        {
            logger.LogError(exception, "Unhandled error answering {Method} {Path}", httpContext.Request.Method, httpContext.Request.Path);
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        if (exception is SignInThrottledException throttled)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(throttled.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    /// <summary>The problem body an exception answers.</summary>
    public static ProblemDetails ToProblem(Exception exception) => exception switch
    {
        CommitOutcomeUnknownException => Problem(
            StatusCodes.Status503ServiceUnavailable, "commit-outcome-unknown", "Service unavailable; the outcome is unknown.",
            "The database connection was lost while the change was being committed: it may or may not have been saved. Read it before trying again."),
        ValidationException validation => ValidationProblem(validation),
        RuleViolationException rule => Problem(
            StatusCodes.Status409Conflict, "rule-violation", "A rule forbids this.", rule.Message,
            [("rule", rule.Rule), .. rule.Details.Select(d => (d.Key, d.Value))]),
        PreconditionRequiredException required => Problem(
            StatusCodes.Status428PreconditionRequired, "precondition-required", "Precondition required.", required.Message),
        NotFoundException notFound => Problem(StatusCodes.Status404NotFound, "not-found", "Not found.", notFound.Message),
        ReauthenticationFailedException => Problem(
            StatusCodes.Status403Forbidden, "reauthentication-failed", "The password is not correct.", "Enter your own password again to confirm."),
        ForbiddenException forbidden => Problem(StatusCodes.Status403Forbidden, "forbidden", "Forbidden.", forbidden.Message),
        SignInThrottledException throttled => Problem(StatusCodes.Status429TooManyRequests, "rate-limited", "Too many requests.", throttled.Message),
        AuthenticationFailedException failed => Problem(StatusCodes.Status401Unauthorized, "unauthorized", "Authentication failed.", failed.Message),
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => Problem(StatusCodes.Status413PayloadTooLarge),
        BadHttpRequestException { InnerException: JsonException json } => JsonProblem(json),
        BadHttpRequestException bad => Problem(bad.StatusCode, "bad-request", "Bad request.", "The request could not be read."),
        DbUpdateConcurrencyException concurrency => ToProblem(RecordVersion.Stale(concurrency)),
        DbUpdateException { InnerException: PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } } =>
            Problem(StatusCodes.Status409Conflict, "conflict", "Conflict.", "The change conflicts with data saved at the same time."),
        _ when IsInvalidText(exception) => new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            ["request"] = ["Text must not contain the NUL character (U+0000) or characters that cannot be stored."],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypePrefix + "validation",
            Title = "The request is invalid.",
            Detail = "A text value of the request cannot be stored or searched for; nothing was saved.",
        },
        _ when IsRetryableConflict(exception) =>
            Problem(StatusCodes.Status409Conflict, "conflict", "Conflict.", "The change met another one saved at the same time; nothing was saved. Try again."),
        _ when DatabaseFailures.IsUnavailable(exception) =>
            Problem(StatusCodes.Status503ServiceUnavailable, "unavailable", "Service unavailable.", "The database cannot be reached; nothing was saved. Try again shortly."),
        _ => Problem(StatusCodes.Status500InternalServerError, "internal", "An unexpected error occurred.", "The error was logged; nothing about it is shown here."),
    };

    // A deadlock or serialization failure rolled the whole transaction back: safe to retry.
    private static bool IsRetryableConflict(Exception exception) =>
        DatabaseFailures.Chain(exception).OfType<PostgresException>().Any(p => p.SqlState is PostgresErrorCodes.DeadlockDetected or PostgresErrorCodes.SerializationFailure);

    // Text PostgreSQL cannot hold (a NUL character, 22021; or one the encoding lacks, 22P05) in a body, query or header.
    private static bool IsInvalidText(Exception exception) =>
        DatabaseFailures.Chain(exception).OfType<PostgresException>().Any(p => p.SqlState is PostgresErrorCodes.CharacterNotInRepertoire or PostgresErrorCodes.UntranslatableCharacter);

    private static ProblemDetails ValidationProblem(ValidationException validation)
    {
        var errors = validation.Errors
            .GroupBy(e => ReferenceEquals(e.CustomState, DataKey) ? e.PropertyName : CamelCasePath(e.PropertyName))
            .ToDictionary(g => g.Key, g => g.Select(e => e.ErrorMessage).Distinct().ToArray());
        return new HttpValidationProblemDetails(errors)
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypePrefix + "validation",
            Title = "The request is invalid.",
            Detail = "See errors for each field.",
        };
    }

    private static ProblemDetails JsonProblem(JsonException json)
    {
        // The path names the field (e.g. "$.arms[0].ratio"); the message of the serializer is not echoed.
        var field = string.IsNullOrEmpty(json.Path) ? "body" : CamelCasePath(json.Path.TrimStart('$', '.'));
        return new HttpValidationProblemDetails(new Dictionary<string, string[]>
        {
            [field.Length == 0 ? "body" : field] = ["The value is not valid JSON of the expected type."],
        })
        {
            Status = StatusCodes.Status400BadRequest,
            Type = TypePrefix + "validation",
            Title = "The request is invalid.",
            Detail = "The body is not valid JSON for this operation.",
        };
    }

    public static ProblemDetails Problem(int status, string type, string title, string detail, params (string Key, object Value)[] extensions)
    {
        var problem = new ProblemDetails { Status = status, Type = TypePrefix + type, Title = title, Detail = detail };
        foreach (var (key, value) in extensions)
        {
            problem.Extensions[key] = value;
        }

        return problem;
    }

    /// <summary>
    /// Gives a problem the framework wrote itself (an empty 401 or 403 from authorization, a 413 from Kestrel, turned into
    /// a problem body by the status-code pages, typed by a link to RFC 9110) Edc's own type, title and a detail, like
    /// every other error; and every problem the request's W3C trace id, the one its spans and log records carry.
    /// </summary>
    public static void Complete(ProblemDetailsContext context)
    {
        var problem = context.ProblemDetails;
        if (problem.Type?.StartsWith(TypePrefix, StringComparison.Ordinal) != true
            && problem.Status is { } status && Standard.TryGetValue(status, out var edc))
        {
            problem.Type = TypePrefix + edc.Type;
            problem.Title = edc.Title;
            problem.Detail ??= edc.Detail;
        }

        problem.Extensions["traceId"] = Activity.Current?.TraceId.ToString() ?? context.HttpContext.TraceIdentifier;
    }

    /// <summary>The problem of a status that means one thing wherever it is answered.</summary>
    public static ProblemDetails Problem(int status)
    {
        var (type, title, detail) = Standard[status];
        return Problem(status, type, title, detail);
    }

    private static readonly Dictionary<int, (string Type, string Title, string Detail)> Standard = new()
    {
        [StatusCodes.Status401Unauthorized] = ("unauthorized", "Authentication required.",
            "Sign in and send the access token as 'Authorization: Bearer <token>'. A token whose session has ended (signed out, deactivated or expired) is refused."),
        [StatusCodes.Status403Forbidden] = ("forbidden", "Forbidden.", "Your role may not do this."),
        [StatusCodes.Status404NotFound] = ("not-found", "Not found.", "No such resource."),
        [StatusCodes.Status413PayloadTooLarge] = ("payload-too-large", "Request body too large.", "Request bodies are limited to 1 MB."),
    };

    /// <summary>"Arms[0].Code" becomes "arms[0].code", matching the JSON the client sent.</summary>
    public static string CamelCasePath(string path) =>
        string.Join('.', path.Split('.').Select(segment => segment.Length == 0 ? segment : char.ToLowerInvariant(segment[0]) + segment[1..]));
}

using Edc.Api.Common;
using Edc.Domain.Common;
using FluentValidation;

namespace Edc.Api.Web;

/// <summary>
/// What went wrong with a page's action, as people read it: field errors keyed as the API keys them (camelCase), a rule
/// violation in plain words, or the record not found (another site's record answers exactly so, as in the API). A page
/// runs each handler call through <see cref="RunAsync{T}"/> and shows the result with <c>ErrorSummary</c> and
/// <c>FieldErrors</c>; anything else (a failure of the server) goes to the error page, never as a stack trace.
/// </summary>
public sealed class PageErrors
{
    private readonly Dictionary<string, string[]> _fields = new(StringComparer.Ordinal);

    /// <summary>Field errors by field (camelCase, as the API's 400 names them); the key "" holds errors of no one field.</summary>
    public IReadOnlyDictionary<string, string[]> Fields => _fields;

    /// <summary>The rule the action broke, in words (the 409's detail).</summary>
    public string? Rule { get; private set; }

    /// <summary>The rule's code (e.g. "StaleEdit"), for pages that treat one rule apart.</summary>
    public string? RuleCode { get; private set; }

    /// <summary>The record is not there, or not at the caller's sites.</summary>
    public bool NotFound { get; private set; }

    /// <summary>The caller may not do or read this (the API's 403); <see cref="Rule"/> says why.</summary>
    public bool Forbidden { get; private set; }

    public bool Any => _fields.Count > 0 || Rule is not null || NotFound;

    /// <summary>All messages, for the summary at the top of the form.</summary>
    public IEnumerable<string> Messages => _fields.Values.SelectMany(m => m).Prepend(Rule).OfType<string>().Distinct();

    public IReadOnlyList<string> Of(string field) => _fields.GetValueOrDefault(field) ?? [];

    /// <summary>"true" for an input's aria-invalid when its field has errors, else null (no attribute).</summary>
    public string? Invalid(string field) => _fields.ContainsKey(field) ? "true" : null;

    public void Add(string field, string message) =>
        _fields[field] = [.. Of(field), message];

    public void Clear()
    {
        _fields.Clear();
        (Rule, RuleCode, NotFound, Forbidden) = (null, null, false, false);
    }

    /// <summary>Runs a handler call; on a refusal records it and answers default (the page shows the errors and stays).</summary>
    public async Task<(bool Ok, T? Result)> RunAsync<T>(Func<Task<T>> action)
    {
        Clear();
        try
        {
            return (true, await action());
        }
        catch (ValidationException invalid)
        {
            foreach (var field in invalid.Errors.GroupBy(e => ReferenceEquals(e.CustomState, ProblemMapping.DataKey) ? e.PropertyName : ProblemMapping.CamelCasePath(e.PropertyName)))
            {
                _fields[field.Key] = [.. field.Select(e => e.ErrorMessage).Distinct()];
            }
        }
        catch (RuleViolationException rule)
        {
            (Rule, RuleCode) = (rule.Message, rule.Rule);
        }
        catch (PreconditionRequiredException required)
        {
            Rule = required.Message;
        }
        catch (ReauthenticationFailedException wrong)
        {
            // The password entered again to confirm an act: an error of that field, and nothing was done.
            Add("password", wrong.Message + " Nothing was done: enter your own password again to confirm.");
        }
        catch (ForbiddenException forbidden)
        {
            (Rule, Forbidden) = (forbidden.Message, true);
        }
        catch (NotFoundException)
        {
            NotFound = true;
        }

        return (false, default);
    }
}

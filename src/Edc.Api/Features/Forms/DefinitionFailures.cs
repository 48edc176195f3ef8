using Edc.Api.Common;
using Edc.Domain.Forms;
using FluentValidation;
using FluentValidation.Results;

namespace Edc.Api.Features.Forms;

/// <summary>A form definition's problems as field errors, keyed by their JSON path in the request (<c>forms[0].items[2].range</c>).</summary>
internal static class DefinitionFailures
{
    public static void Add<T>(ValidationContext<T> context, IEnumerable<DefinitionProblem> problems, string? prefix)
    {
        foreach (var failure in Of(problems, prefix))
        {
            context.AddFailure(failure);
        }
    }

    public static IEnumerable<ValidationFailure> Of(IEnumerable<DefinitionProblem> problems, string? prefix) =>
        problems.Select(p => new ValidationFailure(Key(prefix, p.Path), p.Message) { CustomState = ProblemMapping.DataKey });

    private static string Key(string? prefix, string path) =>
        string.IsNullOrEmpty(prefix) ? (path.Length == 0 ? "form" : path) : path.Length == 0 ? prefix : $"{prefix}.{path}";
}

using Edc.Api.Common;
using Edc.Api.Features.Forms;
using Edc.Domain.Common;
using Edc.Domain.Forms;
using FluentValidation;
using MediatR;

namespace Edc.Api.Web.Pages.Forms;

/// <summary>What the form pages read to draw themselves, apart from the save's errors (which <see cref="PageErrors"/> holds).</summary>
public static class FormPageReads
{
    /// <summary>
    /// A record to show, or null when it is not there for the caller: not found (or at another site), or refused as not a
    /// form of this kind (the adverse events' log, read on its own pages).
    /// </summary>
    public static async Task<T?> OrNullAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return await read();
        }
        catch (Exception e) when (e is NotFoundException or RuleViolationException)
        {
            return null;
        }
    }

    /// <summary>
    /// Which items the entries ask and what they calculate, as the server evaluates them; null for a post too odd to be
    /// evaluated (the save refused it already), which then shows every item.
    /// </summary>
    public static async Task<FormEvaluation?> EvaluateAsync(IMediator mediator, EvaluateForm.Query query)
    {
        try
        {
            return await mediator.Send(query);
        }
        catch (ValidationException)
        {
            return null;
        }
    }

    /// <summary>The items of the form that the evaluation does not ask; none without an evaluation.</summary>
    public static IReadOnlySet<string> Hidden(VersionedForm form, FormEvaluation? evaluation) =>
        evaluation is null ? new HashSet<string>() : form.Definition.Items.Select(i => i.Code).Except(evaluation.Shown).ToHashSet(StringComparer.Ordinal);
}

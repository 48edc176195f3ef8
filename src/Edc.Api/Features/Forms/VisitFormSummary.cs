using System.Diagnostics.CodeAnalysis;
using Edc.Domain.Forms;
using Edc.Domain.Visits;

namespace Edc.Api.Features.Forms;

/// <summary>
/// One form of a visit in its list, with its status and its data-management state: <c>verified</c> and <c>frozen</c> from
/// its review, <c>openQueries</c> the form's queries in status Open (awaiting the site's answer); <c>signed</c> is set by
/// the readers that have the participant's signatures.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The contract names the field signed.")]
public sealed record VisitFormSummary(string FormCode, string Name, FormStatus Status, bool Verified, bool Frozen, bool Signed, int OpenQueries)
{
    public static VisitFormSummary Of(VersionedForm form, FormStatus status) => new(form.Code, form.Name, status, false, false, false, 0);

    /// <summary>
    /// The forms a visit collects, in the schedule's order, each with its status: a saved form's own, the built-in MRSS
    /// and infusion Complete once recorded (their entry refuses anything incomplete), any other NotStarted.
    /// </summary>
    /// <param name="saved">The statuses of the visit's saved forms, by form code.</param>
    /// <param name="reviews">The reviews of the visit's forms (verified, frozen), by form code.</param>
    /// <param name="openQueries">The form code of each open query at the visit.</param>
    public static IReadOnlyList<VisitFormSummary> ListAt(
        FormCatalog catalog, ScheduledVisit visit, IEnumerable<(string FormCode, FormStatus Status)> saved, bool mrssRecorded, bool infusionRecorded,
        IEnumerable<(string FormCode, bool Verified, bool Frozen)> reviews, IEnumerable<string> openQueries)
    {
        var reviewed = reviews.ToDictionary(r => r.FormCode, StringComparer.Ordinal);
        var queries = openQueries.CountBy(code => code).ToDictionary(c => c.Key, c => c.Value, StringComparer.Ordinal);
        var statuses = saved.ToDictionary(r => r.FormCode, r => r.Status, StringComparer.Ordinal);
        if (mrssRecorded)
        {
            statuses[BuiltInFormCodes.Mrss] = FormStatus.Complete;
        }

        if (infusionRecorded)
        {
            statuses[BuiltInFormCodes.Infusion] = FormStatus.Complete;
        }

        return [.. catalog.FormsAt(visit).Select(code => Of(catalog.Latest(code)!, statuses.GetValueOrDefault(code, FormStatus.NotStarted)) with
        {
            Verified = reviewed.TryGetValue(code, out var review) && review.Verified,
            Frozen = reviewed.TryGetValue(code, out var frozen) && frozen.Frozen,
            OpenQueries = queries.GetValueOrDefault(code),
        })];
    }
}

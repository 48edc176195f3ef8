using System.Diagnostics.CodeAnalysis;
using Edc.Domain.Forms;

namespace Edc.Api.Features.Forms;

/// <summary>
/// One form of a visit in its list. <c>verified</c>, <c>frozen</c>, <c>signed</c> and <c>openQueries</c> come with
/// data management; until then they are false and 0.
/// </summary>
[SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "The contract names the field signed.")]
public sealed record VisitFormSummary(string FormCode, string Name, FormStatus Status, bool Verified, bool Frozen, bool Signed, int OpenQueries)
{
    public static VisitFormSummary Of(VersionedForm form, FormStatus status) => new(form.Code, form.Name, status, false, false, false, 0);
}

using Edc.Api.Features.Forms;
using Edc.Api.Features.Visits;

namespace Edc.Api.Features.Casebook;

/// <summary>A visit in the casebook: the visit as its own answer has it, and the forms it collects with their statuses.</summary>
public sealed record CasebookVisit : VisitView
{
    public CasebookVisit(VisitView visit, IReadOnlyList<VisitFormSummary> forms)
        : base(visit) => Forms = forms;

    public IReadOnlyList<VisitFormSummary> Forms { get; }
}

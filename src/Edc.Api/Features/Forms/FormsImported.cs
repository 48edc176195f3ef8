namespace Edc.Api.Features.Forms;

/// <summary>What an ODM import added (each form at the version it was given) and the forms of the document it left out.</summary>
public sealed record FormsImported(IReadOnlyList<FormModel> Forms, IReadOnlyList<SkippedForm> Skipped);

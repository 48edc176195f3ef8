namespace Edc.Api.Features.Casebook;

/// <summary>One of the trial's log forms (concomitant medications, medical history): the participant's entries are at <see cref="Entries"/>.</summary>
public sealed record CasebookLogForm(string FormCode, string Name, string Entries);

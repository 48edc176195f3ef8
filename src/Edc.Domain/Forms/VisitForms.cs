namespace Edc.Domain.Forms;

/// <summary>The forms a visit of the schedule collects, as its definition lists them (codes, built-in ones included).</summary>
public sealed record VisitForms(string VisitCode, int Day, IReadOnlyList<string> FormCodes);

using Edc.Domain.Visits;

namespace Edc.Domain.Forms;

/// <summary>
/// A trial's forms, every version of each, read back from their stored definitions, with the forms each visit of the
/// schedule collects. The built-in forms are in it under their codes. Versions are defined again in the order they were
/// stored, each against the other forms' versions of its time, as they were checked when added.
/// </summary>
public sealed class FormCatalog
{
    private readonly Dictionary<string, List<VersionedForm>> _versions;
    private readonly Dictionary<string, IReadOnlyList<string>> _visitForms;

    private FormCatalog(Dictionary<string, List<VersionedForm>> versions, Dictionary<string, IReadOnlyList<string>> visitForms, IReadOnlyList<string> order)
    {
        _versions = versions;
        _visitForms = visitForms;
        Codes = order;
    }

    /// <summary>Every form's code: the built-in forms, then the trial's in the order they were first defined.</summary>
    public IReadOnlyList<string> Codes { get; }

    public IEnumerable<VersionedForm> LatestForms => Codes.Select(code => _versions[code][^1]);

    public VersionedForm? Latest(string code) => _versions.TryGetValue(code, out var versions) ? versions[^1] : null;

    public VersionedForm? Find(string code, int version) =>
        _versions.TryGetValue(code, out var versions) ? versions.FirstOrDefault(v => v.Version == version) : null;

    /// <summary>The forms a scheduled visit collects, in their listed order; none for a visit not of the schedule.</summary>
    public IReadOnlyList<string> FormsAt(string visitCode) => _visitForms.GetValueOrDefault(visitCode) ?? [];

    /// <summary>The forms a visit collects: its definition's, or for an unscheduled visit the built-in forms of its procedures.</summary>
    public IReadOnlyList<string> FormsAt(ScheduledVisit visit) =>
        visit.Day is null ? BuiltInFormCodes.WithProcedures(visit.Procedures, []).Forms : FormsAt(visit.Code);

    public static FormCatalog Build(IEnumerable<TrialForm> stored, IEnumerable<(string VisitCode, IReadOnlyList<string> Forms)> visits)
    {
        var versions = BuiltInForms.All.ToDictionary(f => f.Code, f => new List<VersionedForm> { f }, StringComparer.Ordinal);
        var order = BuiltInForms.All.Select(f => f.Code).ToList();
        foreach (var form in stored.OrderBy(f => f.Ordinal))
        {
            var (definition, problems) = FormDefinition.Define(form.Spec(), code => versions.TryGetValue(code, out var other) ? other[^1].Definition : null);
            if (definition is null)
            {
                throw new InvalidOperationException($"The stored form {form.Code} version {form.Version} no longer defines: {problems[0].Path}: {problems[0].Message}");
            }

            if (!versions.TryGetValue(form.Code, out var list))
            {
                versions[form.Code] = list = [];
                order.Add(form.Code);
            }

            list.Add(new VersionedForm(form.Version, definition));
        }

        return new FormCatalog(versions, visits.ToDictionary(v => v.VisitCode, v => v.Forms, StringComparer.Ordinal), order);
    }
}

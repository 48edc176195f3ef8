namespace Edc.Domain.Forms;

/// <summary>
/// A trial's forms checked together with its schedule: codes unique and none a built-in form's; a form naming items of
/// another lists it earlier; each visit lists known forms, once, and no log form; and a form reads, through
/// <c>FORM.ITEM</c>, only forms of the same visit or of the screening visit (the schedule's first, by day) and never a log
/// form, whose entries are many. Problems are at the paths of the trial definition's JSON.
/// </summary>
public sealed class FormSet
{
    private FormSet(IReadOnlyList<FormDefinition> forms) => Forms = forms;

    public IReadOnlyList<FormDefinition> Forms { get; }

    public FormDefinition? Find(string code) => Forms.FirstOrDefault(f => f.Code == code);

    public static (FormSet? Set, IReadOnlyList<DefinitionProblem> Problems) Define(IReadOnlyList<FormSpec> forms, IReadOnlyList<VisitForms> visits)
    {
        var problems = new List<DefinitionProblem>();
        var defined = new List<FormDefinition>();
        var codes = new HashSet<string>(StringComparer.Ordinal);
        for (var i = 0; i < forms.Count; i++)
        {
            var spec = forms[i];
            if (BuiltInFormCodes.All.Contains(spec.Code))
            {
                problems.Add(new($"forms[{i}].code", $"{spec.Code} is a built-in form's code."));
                continue;
            }

            if (!codes.Add(spec.Code))
            {
                problems.Add(new($"forms[{i}].code", $"Another form has the code {spec.Code}."));
                continue;
            }

            // Only forms listed before this one are known to it: a reference to a later one reads as unknown.
            var (form, found) = FormDefinition.Define(spec, code => defined.FirstOrDefault(f => f.Code == code));
            problems.AddRange(found.Select(p => p with { Path = $"forms[{i}].{p.Path}" }));
            if (form is not null)
            {
                defined.Add(form);
            }
        }

        var screening = visits.OrderBy(v => v.Day).FirstOrDefault();
        for (var v = 0; v < visits.Count; v++)
        {
            var visit = visits[v];
            var listed = new HashSet<string>(StringComparer.Ordinal);
            for (var f = 0; f < visit.FormCodes.Count; f++)
            {
                var code = visit.FormCodes[f];
                var path = $"visitDefinitions[{v}].forms[{f}]";
                var form = defined.FirstOrDefault(d => d.Code == code);
                if (!listed.Add(code))
                {
                    problems.Add(new(path, $"{code} is listed twice at {visit.VisitCode}."));
                }
                else if (BuiltInFormCodes.Logs.Contains(code) || form?.Spec.Log == true)
                {
                    problems.Add(new(path, $"{code} is a log form: its entries belong to the participant, not to a visit."));
                }
                else if (form is null && !BuiltInFormCodes.All.Contains(code) && !codes.Contains(code))
                {
                    problems.Add(new(path, $"{code} is not a form of the trial."));
                }
            }

            foreach (var form in defined.Where(d => listed.Contains(d.Code)))
            {
                foreach (var reference in form.ReferencesToOtherForms())
                {
                    var readable = listed.Contains(reference.FormCode!) || (screening?.FormCodes.Contains(reference.FormCode!) ?? false);
                    var log = defined.FirstOrDefault(d => d.Code == reference.FormCode)?.Spec.Log == true;
                    if (log || !readable)
                    {
                        problems.Add(new($"visitDefinitions[{v}].forms[{visit.FormCodes.ToList().IndexOf(form.Code)}]", log
                            ? $"{form.Code} names {reference}, an item of a log form: a log form has many entries, so it cannot be named."
                            : $"{form.Code} names {reference}, but {reference.FormCode} is neither at {visit.VisitCode} nor at the screening visit {screening!.VisitCode}."));
                    }
                }
            }
        }

        return problems.Count > 0 ? (null, problems) : (new FormSet(defined), problems);
    }
}

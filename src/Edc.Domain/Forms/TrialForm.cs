using Edc.Domain.Common;

namespace Edc.Domain.Forms;

/// <summary>
/// One version of a trial's form, as defined (the trial definition's is version 1; each change adds the next). Never
/// changed once stored: data entered under it keep it. <see cref="Ordinal"/> is the order the versions were defined in,
/// which is the order they are read back in, each against the others' versions of its time.
/// </summary>
public sealed class TrialForm : ITrialScoped
{
    private TrialForm()
    {
    }

    internal TrialForm(Guid trialId, int ordinal, int version, FormSpec spec, DateTimeOffset definedAt)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = spec.Code;
        Version = version;
        Name = spec.Name;
        Log = spec.Log;
        Definition = FormSpecJson.Write(spec);
        DefinedAt = definedAt;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;

    public int Version { get; private set; }

    public string Name { get; private set; } = string.Empty;

    public bool Log { get; private set; }

    /// <summary>The definition as the contract writes it (<see cref="FormSpecJson"/>).</summary>
    public string Definition { get; private set; } = string.Empty;

    public DateTimeOffset DefinedAt { get; private set; }

    public FormSpec Spec() => FormSpecJson.Read(Definition);
}

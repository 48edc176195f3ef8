namespace Edc.Domain.Forms;

/// <summary>A form's definition under one version number: the version its data are entered and read under.</summary>
public sealed record VersionedForm(int Version, FormDefinition Definition)
{
    public string Code => Definition.Code;

    public string Name => Definition.Spec.Name;

    public bool Log => Definition.Spec.Log;
}

namespace Edc.Domain.Trials;

/// <summary>An arm of the protocol with its allocation ratio. Arm names are public; assignments are not.</summary>
public sealed class TrialArm : TrialPart
{
    private TrialArm()
    {
    }

    internal TrialArm(Guid trialId, int ordinal, ArmSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Name = spec.Name;
        Ratio = spec.Ratio;
    }

    public string Name { get; private set; } = string.Empty;

    public int Ratio { get; private set; }
}

using Edc.Domain.Forms;

namespace Edc.Domain.Trials;

/// <summary>A protocol visit: its day relative to randomization (Day 0) and the window around it, in days.</summary>
public sealed class VisitDefinition : TrialPart
{
    private VisitDefinition()
    {
    }

    internal VisitDefinition(Guid trialId, int ordinal, VisitSpec spec)
        : base(trialId, ordinal, spec.Code)
    {
        Name = spec.Name;
        Day = spec.Day;
        WindowBefore = spec.WindowBefore;
        WindowAfter = spec.WindowAfter;
        (Procedures, Forms) = BuiltInFormCodes.WithProcedures(spec.Procedures, spec.Forms ?? []);
    }

    public string Name { get; private set; } = string.Empty;

    public int Day { get; private set; }

    public int WindowBefore { get; private set; }

    public int WindowAfter { get; private set; }

    public List<string> Procedures { get; private set; } = [];

    /// <summary>The forms the visit collects: those listed and the built-in forms of its procedures (an MRSS, an infusion).</summary>
    public List<string> Forms { get; private set; } = [];
}

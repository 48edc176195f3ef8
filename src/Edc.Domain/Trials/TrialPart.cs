using Edc.Domain.Common;

namespace Edc.Domain.Trials;

/// <summary>A part of a trial's protocol definition, identified within its trial by a code and kept in definition order.</summary>
public abstract class TrialPart : ITrialScoped
{
    protected TrialPart()
    {
    }

    protected TrialPart(Guid trialId, int ordinal, string code)
    {
        Id = Guid.NewGuid();
        TrialId = trialId;
        Ordinal = ordinal;
        Code = code;
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public int Ordinal { get; private set; }

    public string Code { get; private set; } = string.Empty;
}

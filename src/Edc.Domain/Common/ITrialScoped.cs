namespace Edc.Domain.Common;

/// <summary>Data that belongs to one trial; the audit trail records the trial so it can be filtered by it.</summary>
public interface ITrialScoped
{
    Guid TrialId { get; }
}

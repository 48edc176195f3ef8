namespace Edc.Domain.Forms;

public enum FormStatus
{
    NotStarted,

    /// <summary>Saved with required items still missing.</summary>
    InProgress,

    Complete,
}

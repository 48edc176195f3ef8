namespace Edc.Domain.Unblinding;

public enum UnblindingRequestStatus
{
    Pending,
    Approved,
    Rejected,
}

namespace Edc.Domain.DataManagement;

public enum QueryStatus
{
    Open,
    Answered,
    Closed,
}

namespace Edc.Domain.DataManagement;

/// <summary>What a message of a query's thread did to it.</summary>
public enum QueryMessageKind
{
    Raised,
    Answered,
    Closed,
    Reopened,
}

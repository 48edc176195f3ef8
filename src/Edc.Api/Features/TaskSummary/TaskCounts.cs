namespace Edc.Api.Features.TaskSummary;

/// <summary>
/// What is left to do, counted: visits overdue, forms to complete (at completed visits, or started and not complete),
/// queries open (awaiting the site) and answered (awaiting closure), complete forms not yet verified, visits and
/// casebooks ready to be signed that hold no valid signature, and verified forms without an unresolved query that are not
/// yet frozen.
/// </summary>
public sealed record TaskCounts(
    int VisitsOverdue, int FormsToComplete, int OpenQueries, int AnsweredQueries, int FormsToVerify, int VisitsToSign, int CasebooksToSign,
    int FormsReadyToFreeze)
{
    public static readonly TaskCounts None = new(0, 0, 0, 0, 0, 0, 0, 0);

    public bool Any => this != None;

    public TaskCounts Plus(TaskCounts other) => new(
        VisitsOverdue + other.VisitsOverdue, FormsToComplete + other.FormsToComplete, OpenQueries + other.OpenQueries,
        AnsweredQueries + other.AnsweredQueries, FormsToVerify + other.FormsToVerify, VisitsToSign + other.VisitsToSign,
        CasebooksToSign + other.CasebooksToSign, FormsReadyToFreeze + other.FormsReadyToFreeze);
}

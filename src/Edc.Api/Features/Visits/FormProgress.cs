namespace Edc.Api.Features.Visits;

/// <summary>How far a visit's forms are: of the <see cref="Total"/> it collects, those complete and those saved incomplete.</summary>
public sealed record FormProgress(int Total, int Complete, int InProgress)
{
    public bool Started => Complete + InProgress > 0;
}

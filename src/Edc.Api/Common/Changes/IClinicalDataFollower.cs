namespace Edc.Api.Common.Changes;

/// <summary>
/// Work that follows every change to clinical data, in its transaction, once <see cref="ClinicalDataChanges"/> has let it
/// through (such as the automatic queries, which follow the values saved), given what the change touches.
/// </summary>
public interface IClinicalDataFollower
{
    Task FollowAsync(IReadOnlyList<ChangedData> changed, TouchedData touched, CancellationToken cancellationToken);
}

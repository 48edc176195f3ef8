namespace Edc.Api.Blinding;

/// <summary>
/// The groups an analysis compares, as the caller may see them: arm names (<see cref="ByArm"/>) or masked labels
/// ("Group A"), in the order they are reported, and the group of every randomized participant of the trial.
/// </summary>
public sealed record AnalysisGroups(bool ByArm, IReadOnlyList<string> Names, IReadOnlyDictionary<Guid, string> GroupOf);

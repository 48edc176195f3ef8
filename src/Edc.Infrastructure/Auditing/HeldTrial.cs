namespace Edc.Infrastructure.Auditing;

/// <summary>A trial whose row a transaction holds shared, as read when taken: defining a form updates that row, so its forms stay at <paramref name="FormsRevision"/>.</summary>
public sealed record HeldTrial(Guid Id, int FormsRevision);

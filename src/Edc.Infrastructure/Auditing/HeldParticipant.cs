namespace Edc.Infrastructure.Auditing;

/// <summary>A participant whose row a transaction holds shared, as read when taken (after any lock of the casebook committed before).</summary>
public sealed record HeldParticipant(Guid Id, bool Locked);

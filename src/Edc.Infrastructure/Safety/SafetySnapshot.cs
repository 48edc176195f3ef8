namespace Edc.Infrastructure.Safety;

/// <summary>The snapshot as the database computed it: its cut-off (the transaction's timestamp) and its content (JSON).</summary>
public sealed record SafetySnapshot(DateTimeOffset DataCutoff, string Content);

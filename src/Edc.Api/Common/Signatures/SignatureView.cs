using Edc.Domain.DataManagement;

namespace Edc.Api.Common.Signatures;

/// <summary>
/// A signature as every view of signed data shows it (21 CFR 11.50): the signer's printed name, the time (UTC) and the
/// meaning, what it covers, the hash of the data signed, and whether it still holds; once signed data changed, who
/// changed them (name), when and why. <see cref="ContentMatches"/>: whether the data now hash as signed, where the
/// hash was computed again (the list of signatures); null elsewhere.
/// </summary>
public sealed record SignatureView(
    Guid Id,
    SignatureScope Scope,
    string? VisitCode,
    SignatureMeaning Meaning,
    string SignerName,
    DateTimeOffset SignedAt,
    string ContentHash,
    bool Valid,
    DateTimeOffset? InvalidatedAt,
    string? InvalidatedBy,
    string? InvalidationReason,
    bool? ContentMatches = null)
{
    /// <summary>Whether the signature is about data of this visit (a casebook's is about every visit).</summary>
    public bool Covers(string? visitCode) => Scope == SignatureScope.Casebook || (visitCode is not null && visitCode == VisitCode);
}

using Edc.Domain.Common;

namespace Edc.Domain.DataManagement;

/// <summary>
/// An investigator's electronic signature of a visit or a casebook (21 CFR Part 11): the signer's printed name, the time
/// and the meaning (§11.50), and a hash of the data signed, which binds the signature to them (§11.70). When signed data
/// change the signature is invalidated, with who changed them, when and why; it is never deleted.
/// </summary>
public sealed class Signature : ITrialScoped, ISiteScoped
{
    private Signature()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public SignatureScope Scope { get; private set; }

    /// <summary>The visit signed, for a <see cref="SignatureScope.Visit"/> signature.</summary>
    public Guid? VisitId { get; private set; }

    public string? VisitCode { get; private set; }

    public SignatureMeaning Meaning { get; private set; }

    public Guid SignerId { get; private set; }

    public string SignerName { get; private set; } = string.Empty;

    public DateTimeOffset SignedAt { get; private set; }

    /// <summary>SHA-256 (hex) of the signed data in their canonical form.</summary>
    public string ContentHash { get; private set; } = string.Empty;

    public DateTimeOffset? InvalidatedAt { get; private set; }

    public Guid? InvalidatedBy { get; private set; }

    public string? InvalidationReason { get; private set; }

    public bool IsValid => InvalidatedAt is null;

    public static Signature Sign(
        Guid trialId, Guid siteId, Guid participantId, SignatureScope scope, Guid? visitId, string? visitCode, SignatureMeaning meaning,
        Guid signerId, string signerName, string contentHash, DateTimeOffset now)
    {
        if ((scope == SignatureScope.Visit) != (visitId is not null))
        {
            throw new ArgumentException("A visit's signature names its visit; a casebook's names none.", nameof(visitId));
        }

        return new Signature
        {
            Id = Guid.NewGuid(),
            TrialId = trialId,
            SiteId = siteId,
            ParticipantId = participantId,
            Scope = scope,
            VisitId = visitId,
            VisitCode = visitCode,
            Meaning = meaning,
            SignerId = signerId,
            SignerName = signerName,
            SignedAt = now,
            ContentHash = contentHash,
        };
    }

    /// <summary>Whether a change to data of this visit (null: data of no visit, such as a log entry) touches what was signed.</summary>
    public bool Covers(Guid? visitId) => Scope == SignatureScope.Casebook || (visitId is not null && visitId == VisitId);

    /// <summary>Signed data changed: the signature no longer holds. The first invalidation is the one kept.</summary>
    public void Invalidate(Guid? changedBy, DateTimeOffset now, string? reason)
    {
        if (InvalidatedAt is not null)
        {
            return;
        }

        InvalidatedAt = now;
        InvalidatedBy = changedBy;
        InvalidationReason = reason;
    }
}

using Edc.Domain.Forms;

namespace Edc.Api.Features.Reviews;

/// <summary>
/// One form of a visit as a monitor verifies it: its status, whether it is verified (by whom, when) and frozen, when it was
/// last verified (also when a change has cleared that since), and the changes to its data made after that verification.
/// </summary>
public sealed record VerificationForm(
    string FormCode,
    string Name,
    FormStatus Status,
    bool Verified,
    string? VerifiedBy,
    DateTimeOffset? VerifiedAt,
    bool Frozen,
    DateTimeOffset? LastVerifiedAt,
    IReadOnlyList<FormChange> ChangesSinceVerification);

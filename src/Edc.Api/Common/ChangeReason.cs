using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;

namespace Edc.Api.Common;

internal static class ChangeReason
{
    /// <summary>
    /// Every change to clinical data after its first save carries a reason (400 without); the audit rows of the
    /// change carry it too.
    /// </summary>
    public static void Apply(EdcDbContext db, bool alreadyRecorded, string? reason, string what)
    {
        if (alreadyRecorded && string.IsNullOrWhiteSpace(reason))
        {
            throw new ValidationException([new ValidationFailure("reason", $"The {what} is already recorded: a change needs a reason.")]);
        }

        db.AuditReason = reason;
    }
}

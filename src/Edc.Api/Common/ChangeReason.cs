using FluentValidation;
using FluentValidation.Results;

namespace Edc.Api.Common;

internal static class ChangeReason
{
    /// <summary>
    /// Every change to clinical data after its first save carries a reason (400 without); the change's transaction
    /// writes it into each of its audit rows.
    /// </summary>
    public static void Require(bool alreadyRecorded, string? reason, string what)
    {
        if (alreadyRecorded && string.IsNullOrWhiteSpace(reason))
        {
            throw new ValidationException([new ValidationFailure("reason", $"The {what} is already recorded: a change needs a reason.")]);
        }
    }
}

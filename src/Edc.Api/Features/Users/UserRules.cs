using Edc.Domain.Common;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Users;

internal static class UserRules
{
    public static async Task RequireSitesExistAsync(EdcDbContext db, IReadOnlyCollection<Guid> siteIds, CancellationToken cancellationToken)
    {
        var found = await db.Sites.CountAsync(s => siteIds.Contains(s.Id), cancellationToken);
        if (found != siteIds.Count)
        {
            throw new ValidationException([new ValidationFailure("siteIds", "Every site id must name an existing site.")]);
        }
    }

    /// <summary>Identity's own checks (password length, email format, duplicates) become field errors or a 409.</summary>
    public static void ThrowIfFailed(IdentityResult result)
    {
        if (result.Succeeded)
        {
            return;
        }

        if (result.Errors.Any(e => e.Code is "DuplicateEmail" or "DuplicateUserName"))
        {
            throw new RuleViolationException(RuleCodes.EmailTaken, "A user with this email already exists.");
        }

        throw new ValidationException(result.Errors.Select(e => new ValidationFailure(
            e.Code.StartsWith("Password", StringComparison.Ordinal) ? "password" : e.Code.Contains("Email", StringComparison.Ordinal) ? "email" : "user",
            e.Description)));
    }
}

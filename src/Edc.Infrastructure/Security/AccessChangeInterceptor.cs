using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Edc.Infrastructure.Security;

/// <summary>
/// Notes on the context which users a save changes the access of (their sessions, account, roles or sites), so the
/// request forgets their cached sessions before it answers (<see cref="SessionCache"/>): the caller's next request, on this
/// instance, never meets the old state. Other instances hear of it from the database.
/// </summary>
public sealed class AccessChangeInterceptor : SaveChangesInterceptor
{
    public static readonly AccessChangeInterceptor Instance = new();

    private AccessChangeInterceptor()
    {
    }

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        Note(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Note(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private static void Note(DbContext? context)
    {
        if (context is not EdcDbContext db)
        {
            return;
        }

        foreach (var entry in db.ChangeTracker.Entries())
        {
            if (entry.State is EntityState.Added or EntityState.Modified or EntityState.Deleted
                && entry.Entity switch
                {
                    AuthSession session => session.UserId,
                    EdcUser user => user.Id,
                    IdentityUserRole<Guid> role => role.UserId,
                    UserSite site => site.UserId,
                    _ => (Guid?)null,
                } is { } userId)
            {
                db.UsersWithChangedAccess.Add(userId);
            }
        }
    }
}

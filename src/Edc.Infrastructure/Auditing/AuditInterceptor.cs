using System.Collections;
using System.Globalization;
using System.Text.Json;
using Edc.Domain.Common;
using Edc.Domain.Notifications;
using Edc.Domain.Randomization;
using Edc.Domain.Visits;
using Edc.Infrastructure.Idempotency;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;

namespace Edc.Infrastructure.Auditing;

/// <summary>
/// Turns every insert, update and delete of audited data into audit rows, one per field, added to the same
/// SaveChanges and therefore written in the same transaction as the change itself.
/// </summary>
public sealed class AuditInterceptor(CurrentUser currentUser) : SaveChangesInterceptor
{
    // Kept out of the trail: the trail itself, token plumbing, and Identity columns that change on their own.
    private static readonly HashSet<Type> NotAudited =
    [
        typeof(AuditEntry), typeof(AuthSession), typeof(DataProtectionKey),
        typeof(IdentityUserToken<Guid>), typeof(IdentityUserLogin<Guid>), typeof(IdentityUserClaim<Guid>),
        typeof(IdentityRoleClaim<Guid>), typeof(IdempotencyRecord), typeof(Notification),
    ];

    // Rows derived from audited facts are not copied field by field on insert: a list's slots come from the list's row
    // (seed, parameters, checksum) and a protocol schedule from the trial's visit definitions and the audited
    // randomization date. Every later change to them is audited.
    private static bool IsDerivedInsert(EntityEntry entry) =>
        entry.State == EntityState.Added && entry.Entity is RandomizationSlot or ScheduledVisit { Day: not null };

    private static readonly HashSet<string> IgnoredProperties =
    [
        nameof(EdcUser.ConcurrencyStamp), nameof(EdcUser.SecurityStamp), nameof(EdcUser.NormalizedEmail),
        nameof(EdcUser.NormalizedUserName), nameof(EdcUser.AccessFailedCount),
    ];

    // Secrets are never copied into the trail; that they changed is.
    private static readonly HashSet<string> RedactedProperties = [nameof(EdcUser.PasswordHash)];

    private List<AuditEntry> _pending = [];

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        AddAuditEntries(eventData.Context);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        AddAuditEntries(eventData.Context);
        return ValueTask.FromResult(result);
    }

    // A failed save must not leave its audit rows behind to be written with a later, different save.
    public override void SaveChangesFailed(DbContextErrorEventData eventData) => DiscardPending(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        DiscardPending(eventData.Context);
        return Task.CompletedTask;
    }

    private void DiscardPending(DbContext? context)
    {
        foreach (var row in _pending)
        {
            context?.Entry(row).State = EntityState.Detached;
        }

        _pending = [];
    }

    private void AddAuditEntries(DbContext? context)
    {
        if (context is not EdcDbContext db)
        {
            return;
        }

        db.ChangeTracker.DetectChanges();
        var actor = currentUser.IsAuthenticated
            ? new AuditActor(currentUser.Id, currentUser.Email, string.Join(',', currentUser.Roles))
            : AuditActor.System;
        var rows = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .Where(e => !NotAudited.Contains(e.Metadata.ClrType))
            .Where(e => !IsDerivedInsert(e))
            .SelectMany(e => RowsFor(e, actor, db.AuditReason))
            .ToList();
        db.AuditEntries.AddRange(rows);
        _pending = rows;
    }

    private static IEnumerable<AuditEntry> RowsFor(EntityEntry entry, AuditActor actor, string? reason)
    {
        var entityType = EntityTypeName(entry.Metadata.ClrType);
        var key = entry.Metadata.FindPrimaryKey()!;
        var entityId = string.Join('/', key.Properties.Select(p => Format(entry.Property(p.Name).CurrentValue)));
        var trialId = (entry.Entity as ITrialScoped)?.TrialId;
        var siteId = (entry.Entity as ISiteScoped)?.SiteId;
        var action = entry.State switch
        {
            EntityState.Added => "Insert",
            EntityState.Deleted => "Delete",
            _ => "Update",
        };

        foreach (var property in entry.Properties)
        {
            var name = property.Metadata.Name;
            // The row version (xmin) is PostgreSQL's bookkeeping for concurrency, not data.
            if (IgnoredProperties.Contains(name) || property.Metadata.IsShadowProperty()
                || (property.Metadata.IsConcurrencyToken && property.Metadata.ValueGenerated == ValueGenerated.OnAddOrUpdate))
            {
                continue;
            }

            var oldValue = entry.State == EntityState.Added ? null : Format(property.OriginalValue, name);
            var newValue = entry.State == EntityState.Deleted ? null : Format(property.CurrentValue, name);
            if (entry.State == EntityState.Modified && (!property.IsModified || oldValue == newValue))
            {
                continue;
            }

            if (RedactedProperties.Contains(name))
            {
                (oldValue, newValue) = (oldValue is null ? null : "[redacted]", newValue is null ? null : "[redacted]");
            }
            else if (property.Metadata.PropertyInfo?.IsDefined(typeof(SealedAttribute), inherit: true) == true)
            {
                // Would unblind: the trail shows that it was set, not what it is.
                (oldValue, newValue) = (oldValue is null ? null : "[sealed]", newValue is null ? null : "[sealed]");
            }

            yield return AuditEntry.Create(actor, action, entityType, entityId, trialId, siteId, name, oldValue, newValue, reason);
        }
    }

    private static string EntityTypeName(Type type) =>
        type == typeof(EdcUser) ? "User"
        : type == typeof(IdentityUserRole<Guid>) ? "UserRole"
        : type.Name;

    private static string? Format(object? value, string propertyName = "") => value switch
    {
        null => null,
        Guid id when propertyName == nameof(IdentityUserRole<Guid>.RoleId) && EdcRole.NamesById.TryGetValue(id, out var role) => role,
        string s => s,
        DateTimeOffset d => d.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture),
        DateTime d => d.ToString("O", CultureInfo.InvariantCulture),
        DateOnly d => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        Enum e => e.ToString(),
        IEnumerable sequence => JsonSerializer.Serialize(sequence, sequence.GetType()),
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString(),
    };
}

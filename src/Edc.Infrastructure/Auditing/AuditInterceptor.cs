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
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;
using Microsoft.EntityFrameworkCore.Metadata;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Infrastructure.Auditing;

/// <summary>
/// Turns every insert, update and delete of audited data into audit rows, one per field, written in the same
/// transaction as the change itself: by the same SaveChanges, after its changes, as one multi-row INSERT (in a
/// transaction the interceptor begins when the save has none), or, inside an <see cref="AuditedTransaction"/>, handed
/// to it to send with its COMMIT. Events added to the trail (logins, reads) go the same way. One instance serves every
/// context of the pool: what a save has pending lives on its context, and the rows name the context's
/// <see cref="EdcDbContext.CurrentUser"/>.
/// </summary>
public sealed class AuditInterceptor : SaveChangesInterceptor
{
    public static readonly AuditInterceptor Instance = new();

    private AuditInterceptor()
    {
    }

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

    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (CollectAuditRows(eventData.Context) is { } db && NeedsOwnTransaction(db))
        {
            db.OwnAuditTransaction = db.Database.BeginTransaction();
        }

        return result;
    }

    public override async ValueTask<InterceptionResult<int>> SavingChangesAsync(
        DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (CollectAuditRows(eventData.Context) is { } db && NeedsOwnTransaction(db))
        {
            db.OwnAuditTransaction = await db.Database.BeginTransactionAsync(cancellationToken);
        }

        return result;
    }

    private static bool NeedsOwnTransaction(EdcDbContext db) => db.AuditedTransaction is null && db.Database.CurrentTransaction is null;

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        var (db, rows, transaction) = TakePending(eventData.Context);
        using (transaction)
        {
            if (db.AuditedTransaction is { } audited)
            {
                audited.AddAuditRows(rows);
            }
            else if (rows.Count > 0)
            {
                db.Database.ExecuteSqlRaw(AuditRows.InsertSql, AuditRows.Parameters(rows));
            }

            transaction?.Commit();
        }

        return result + rows.Count;
    }

    // After the changes, last in their transaction: the chain's lock, taken by the first audit row, is held until COMMIT,
    // so the less work that follows it, the less concurrent saves wait for each other.
    public override async ValueTask<int> SavedChangesAsync(
        SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        var (db, rows, transaction) = TakePending(eventData.Context);
        await using (transaction)
        {
            if (db.AuditedTransaction is { } audited)
            {
                audited.AddAuditRows(rows);
            }
            else if (rows.Count > 0)
            {
                await db.Database.ExecuteSqlRawAsync(AuditRows.InsertSql, AuditRows.Parameters(rows), cancellationToken);
            }

            if (transaction is not null)
            {
                await transaction.CommitAsync(cancellationToken);
            }
        }

        return result + rows.Count;
    }

    private static (EdcDbContext Db, List<AuditEntry> Rows, IDbContextTransaction? OwnTransaction) TakePending(DbContext? context)
    {
        var db = (EdcDbContext)context!;
        var pending = (db, db.PendingAuditRows, db.OwnAuditTransaction);
        (db.PendingAuditRows, db.OwnAuditTransaction) = ([], null);
        return pending;
    }

    // A failed save must not leave its audit rows behind to be written with a later, different save.
    public override void SaveChangesFailed(DbContextErrorEventData eventData) => DiscardPending(eventData.Context);

    public override Task SaveChangesFailedAsync(DbContextErrorEventData eventData, CancellationToken cancellationToken = default)
    {
        DiscardPending(eventData.Context);
        return Task.CompletedTask;
    }

    private static void DiscardPending(DbContext? context)
    {
        if (context is EdcDbContext db)
        {
            db.OwnAuditTransaction?.Dispose(); // rolls back
            (db.PendingAuditRows, db.OwnAuditTransaction) = ([], null);
        }
    }

    /// <summary>
    /// Takes the audit rows of this save out of EF's hands (EF would send one INSERT per row): the rows its changes make
    /// and the events added to the trail. Returns the context when there are rows.
    /// </summary>
    private static EdcDbContext? CollectAuditRows(DbContext? context)
    {
        if (context is not EdcDbContext db)
        {
            return null;
        }

        db.ChangeTracker.DetectChanges();
        var currentUser = db.CurrentUser;
        var actor = currentUser.IsAuthenticated
            ? new AuditActor(currentUser.Id, currentUser.Email, string.Join(',', currentUser.Roles))
            : AuditActor.System;
        var entries = db.ChangeTracker.Entries()
            .Where(e => e.State is EntityState.Added or EntityState.Modified or EntityState.Deleted)
            .ToList();
        var events = entries.Where(e => e is { Entity: AuditEntry, State: EntityState.Added }).ToList();
        db.PendingAuditRows = [.. events.Select(e => (AuditEntry)e.Entity), .. entries
            .Where(e => !NotAudited.Contains(e.Metadata.ClrType))
            .Where(e => !IsDerivedInsert(e))
            .SelectMany(e => RowsFor(e, actor, db.AuditedTransaction?.Reason))];
        events.ForEach(e => e.State = EntityState.Detached);
        return db.PendingAuditRows.Count > 0 ? db : null;
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

        foreach (var property in Fields(entry))
        {
            var name = property.Metadata.Name;
            // The row version (xmin) and an editable record's version count are bookkeeping for concurrency, not data.
            if (IgnoredProperties.Contains(name) || property.Metadata.IsShadowProperty()
                || (property.Metadata.IsConcurrencyToken && property.Metadata.ValueGenerated == ValueGenerated.OnAddOrUpdate)
                || (entry.Entity is VersionedRecord && name == nameof(VersionedRecord.Version)))
            {
                continue;
            }

            var oldValue = entry.State == EntityState.Added ? null : Format(property.OriginalValue, name);
            var newValue = entry.State == EntityState.Deleted ? null : Format(property.CurrentValue, name);
            if (entry.State == EntityState.Modified && (!property.IsModified || oldValue == newValue))
            {
                continue;
            }

            if (property.Metadata.PropertyInfo?.IsDefined(typeof(ItemValuesAttribute), inherit: true) == true)
            {
                foreach (var (item, oldItem, newItem) in ItemChanges(oldValue, newValue))
                {
                    yield return AuditEntry.Create(actor, action, entityType, entityId, trialId, siteId, item, oldItem, newItem, reason);
                }

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

    /// <summary>
    /// The entity's fields: its properties and those of its complex properties (an adverse event's report), which are
    /// columns of its own and are named in the trail as its own, in the same order (the key first, then by name).
    /// </summary>
    private static IEnumerable<PropertyEntry> Fields(EntityEntry entry) =>
        !entry.Metadata.GetComplexProperties().Any()
            ? entry.Properties
            : entry.Properties.Concat(entry.ComplexProperties.SelectMany(c => c.Properties))
                .OrderBy(p => !p.Metadata.IsPrimaryKey())
                .ThenBy(p => p.Metadata.Name, StringComparer.Ordinal);

    /// <summary>The items whose values differ between two forms' value documents, each as it is written in JSON (text unquoted).</summary>
    private static IEnumerable<(string Item, string? Old, string? New)> ItemChanges(string? oldJson, string? newJson)
    {
        var before = ItemTexts(oldJson);
        var after = ItemTexts(newJson);
        foreach (var item in after.Keys.Concat(before.Keys.Where(k => !after.ContainsKey(k))))
        {
            var (old, current) = (before.GetValueOrDefault(item), after.GetValueOrDefault(item));
            if (old != current)
            {
                yield return (item, old, current);
            }
        }
    }

    private static Dictionary<string, string> ItemTexts(string? json)
    {
        var texts = new Dictionary<string, string>(StringComparer.Ordinal);
        if (json is not null)
        {
            using var document = JsonDocument.Parse(json);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                texts[property.Name] = property.Value.ValueKind == JsonValueKind.String ? property.Value.GetString()! : property.Value.GetRawText();
            }
        }

        return texts;
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

using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Notifications;
using Edc.Domain.Participants;
using Edc.Domain.Randomization;
using Edc.Domain.Safety;
using Edc.Domain.Trials;
using Edc.Domain.Unblinding;
using Edc.Domain.Visits;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Idempotency;
using Edc.Infrastructure.Identity;
using Edc.Infrastructure.Security;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;

namespace Edc.Infrastructure.Persistence;

public sealed class EdcDbContext(DbContextOptions<EdcDbContext> options)
    : IdentityDbContext<EdcUser, EdcRole, Guid>(options)
{
    public DbSet<Trial> Trials => Set<Trial>();

    public DbSet<Site> Sites => Set<Site>();

    public DbSet<Participant> Participants => Set<Participant>();

    public DbSet<RandomizationList> RandomizationLists => Set<RandomizationList>();

    public DbSet<RandomizationSlot> RandomizationSlots => Set<RandomizationSlot>();

    public DbSet<ScheduledVisit> Visits => Set<ScheduledVisit>();

    public DbSet<ProtocolDeviation> ProtocolDeviations => Set<ProtocolDeviation>();

    public DbSet<MrssAssessment> MrssAssessments => Set<MrssAssessment>();

    public DbSet<InfusionRecord> Infusions => Set<InfusionRecord>();

    public DbSet<AdverseEvent> AdverseEvents => Set<AdverseEvent>();

    public DbSet<AdverseEventVersion> AdverseEventVersions => Set<AdverseEventVersion>();

    public DbSet<TrialForm> TrialForms => Set<TrialForm>();

    public DbSet<FormRecord> FormRecords => Set<FormRecord>();

    public DbSet<DataQuery> Queries => Set<DataQuery>();

    public DbSet<FormReview> FormReviews => Set<FormReview>();

    public DbSet<Signature> Signatures => Set<Signature>();

    public DbSet<SafetySummary> SafetySummaries => Set<SafetySummary>();

    public DbSet<UnblindingRequest> UnblindingRequests => Set<UnblindingRequest>();

    public DbSet<Notification> Notifications => Set<Notification>();

    public DbSet<IdempotencyRecord> IdempotencyRecords => Set<IdempotencyRecord>();

    public DbSet<UserSite> UserSites => Set<UserSite>();

    public DbSet<AuthSession> AuthSessions => Set<AuthSession>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The transaction under way that takes this context's audit rows to send with its COMMIT, if any.</summary>
    public AuditedTransaction? AuditedTransaction { get; internal set; }

    /// <summary>
    /// Who acts through this context, named by its audit rows: the <see cref="Security.CurrentUser"/> of the request or job
    /// whose scope took the context from the pool (<see cref="InfrastructureServices"/>); nobody (the system) otherwise.
    /// </summary>
    public CurrentUser CurrentUser { get; internal set; } = new();

    /// <summary>The audit rows of the save under way, collected by the <see cref="AuditInterceptor"/> before it runs.</summary>
    internal List<AuditEntry> PendingAuditRows { get; set; } = [];

    /// <summary>Users whose sessions, account, roles or sites this context's saves changed (<see cref="Security.AccessChangeInterceptor"/>).</summary>
    public HashSet<Guid> UsersWithChangedAccess { get; private set; } = [];

    /// <summary>The transaction the audit interceptor began for a save that had none, so the save and its rows commit together.</summary>
    internal IDbContextTransaction? OwnAuditTransaction { get; set; }

    // A pooled context goes back to the pool when its scope disposes it: nothing of this request may reach the next.
    public override void Dispose()
    {
        Release();
        base.Dispose();
    }

    public override ValueTask DisposeAsync()
    {
        Release();
        return base.DisposeAsync();
    }

    private void Release()
    {
        OwnAuditTransaction?.Dispose();
        (AuditedTransaction, CurrentUser, PendingAuditRows, OwnAuditTransaction, UsersWithChangedAccess) = (null, new(), [], null, []);
    }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EdcDbContext).Assembly);
        SnakeCaseNames.Apply(builder.Model);
        WindowFunctions.Map(builder);
    }
}

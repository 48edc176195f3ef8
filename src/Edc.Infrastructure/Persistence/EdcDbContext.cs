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
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

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

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EdcDbContext).Assembly);
        SnakeCaseNames.Apply(builder.Model);
    }
}

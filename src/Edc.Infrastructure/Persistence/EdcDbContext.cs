using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace Edc.Infrastructure.Persistence;

public sealed class EdcDbContext(DbContextOptions<EdcDbContext> options)
    : IdentityDbContext<EdcUser, EdcRole, Guid>(options)
{
    public DbSet<Trial> Trials => Set<Trial>();

    public DbSet<Site> Sites => Set<Site>();

    public DbSet<UserSite> UserSites => Set<UserSite>();

    public DbSet<AuthSession> AuthSessions => Set<AuthSession>();

    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();

    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();

    /// <summary>The reason the caller gave for the change being saved; copied into each audit row it produces.</summary>
    public string? AuditReason { get; set; }

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(EdcDbContext).Assembly);
        SnakeCaseNames.Apply(builder.Model);
    }
}

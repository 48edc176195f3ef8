using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Identity;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class UserConfiguration : IEntityTypeConfiguration<EdcUser>
{
    public void Configure(EntityTypeBuilder<EdcUser> builder)
    {
        builder.ToTable("users");
        builder.Property(u => u.DisplayName).HasMaxLength(200);
    }
}

internal sealed class RoleConfiguration : IEntityTypeConfiguration<EdcRole>
{
    public void Configure(EntityTypeBuilder<EdcRole> builder)
    {
        builder.ToTable("roles");
        builder.HasData(Roles.All.Select(r => new EdcRole
        {
            Id = EdcRole.IdOf(r),
            Name = r,
            NormalizedName = r.ToUpperInvariant(),
            ConcurrencyStamp = EdcRole.IdOf(r).ToString(),
        }));
    }
}

internal sealed class IdentityTablesConfiguration :
    IEntityTypeConfiguration<IdentityUserRole<Guid>>,
    IEntityTypeConfiguration<IdentityUserClaim<Guid>>,
    IEntityTypeConfiguration<IdentityUserLogin<Guid>>,
    IEntityTypeConfiguration<IdentityUserToken<Guid>>,
    IEntityTypeConfiguration<IdentityRoleClaim<Guid>>
{
    public void Configure(EntityTypeBuilder<IdentityUserRole<Guid>> builder) => builder.ToTable("user_roles");

    public void Configure(EntityTypeBuilder<IdentityUserClaim<Guid>> builder) => builder.ToTable("user_claims");

    public void Configure(EntityTypeBuilder<IdentityUserLogin<Guid>> builder) => builder.ToTable("user_logins");

    public void Configure(EntityTypeBuilder<IdentityUserToken<Guid>> builder) => builder.ToTable("user_tokens");

    public void Configure(EntityTypeBuilder<IdentityRoleClaim<Guid>> builder) => builder.ToTable("role_claims");
}

internal sealed class UserSiteConfiguration : IEntityTypeConfiguration<UserSite>
{
    public void Configure(EntityTypeBuilder<UserSite> builder)
    {
        builder.ToTable("user_sites");
        builder.HasKey(us => new { us.UserId, us.SiteId });
        builder.HasOne<EdcUser>().WithMany().HasForeignKey(us => us.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasOne<Site>().WithMany().HasForeignKey(us => us.SiteId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class AuthSessionConfiguration : IEntityTypeConfiguration<AuthSession>
{
    public void Configure(EntityTypeBuilder<AuthSession> builder)
    {
        builder.ToTable("auth_sessions");
        builder.Property(s => s.Id).ValueGeneratedNever();
        builder.HasOne<EdcUser>().WithMany().HasForeignKey(s => s.UserId).OnDelete(DeleteBehavior.Cascade);
        builder.HasIndex(s => s.UserId);

        // Two refreshes racing with one token: the second one's update finds the token already rotated.
        builder.Property(s => s.RefreshTokenId).IsConcurrencyToken();
    }
}

internal sealed class DataProtectionKeyConfiguration : IEntityTypeConfiguration<DataProtectionKey>
{
    public void Configure(EntityTypeBuilder<DataProtectionKey> builder) => builder.ToTable("data_protection_keys");
}

internal sealed class AuditEntryConfiguration : IEntityTypeConfiguration<AuditEntry>
{
    public void Configure(EntityTypeBuilder<AuditEntry> builder)
    {
        builder.ToTable("audit_entries");
        builder.HasKey(a => a.Sequence);

        // Assigned by the audit_entries_chain trigger under a lock; never by the client.
        builder.Property(a => a.Sequence).HasColumnName("seq").ValueGeneratedOnAdd()
            .Metadata.SetValueGenerationStrategy(NpgsqlValueGenerationStrategy.None);
        builder.Property(a => a.OccurredAt).ValueGeneratedOnAdd();
        builder.Property(a => a.PreviousHash).ValueGeneratedOnAdd();
        builder.Property(a => a.Hash).ValueGeneratedOnAdd();

        builder.Property(a => a.Action).HasMaxLength(40);
        builder.Property(a => a.EntityType).HasMaxLength(100);
        builder.Property(a => a.EntityId).HasMaxLength(200);
        builder.Property(a => a.Field).HasMaxLength(100);
        builder.HasIndex(a => new { a.TrialId, a.OccurredAt });
        builder.HasIndex(a => new { a.EntityType, a.EntityId });
        builder.HasIndex(a => a.UserId);
    }
}

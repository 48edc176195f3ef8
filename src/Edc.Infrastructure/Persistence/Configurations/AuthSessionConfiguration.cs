using Edc.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

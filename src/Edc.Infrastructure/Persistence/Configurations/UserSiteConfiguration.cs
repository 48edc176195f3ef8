using Edc.Domain.Trials;
using Edc.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

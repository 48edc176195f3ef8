using Edc.Domain.Security;
using Edc.Infrastructure.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

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

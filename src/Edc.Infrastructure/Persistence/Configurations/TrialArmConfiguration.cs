using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class TrialArmConfiguration() : TrialPartConfiguration<TrialArm>("trial_arms")
{
    public override void Configure(EntityTypeBuilder<TrialArm> builder)
    {
        base.Configure(builder);
        builder.Property(a => a.Name).HasMaxLength(300);
    }
}

using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class StratificationFactorConfiguration() : TrialPartConfiguration<StratificationFactor>("stratification_factors")
{
    public override void Configure(EntityTypeBuilder<StratificationFactor> builder)
    {
        base.Configure(builder);
        builder.Property(f => f.Name).HasMaxLength(200);
    }
}

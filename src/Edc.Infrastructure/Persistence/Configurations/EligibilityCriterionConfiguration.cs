using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class EligibilityCriterionConfiguration() : TrialPartConfiguration<EligibilityCriterion>("eligibility_criteria")
{
    public override void Configure(EntityTypeBuilder<EligibilityCriterion> builder)
    {
        base.Configure(builder);
        builder.Property(c => c.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Text).HasMaxLength(2000);
    }
}

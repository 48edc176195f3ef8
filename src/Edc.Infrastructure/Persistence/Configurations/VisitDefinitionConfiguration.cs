using Edc.Domain.Trials;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace Edc.Infrastructure.Persistence.Configurations;

internal sealed class VisitDefinitionConfiguration() : TrialPartConfiguration<VisitDefinition>("visit_definitions")
{
    public override void Configure(EntityTypeBuilder<VisitDefinition> builder)
    {
        base.Configure(builder);
        builder.Property(v => v.Name).HasMaxLength(200);
    }
}

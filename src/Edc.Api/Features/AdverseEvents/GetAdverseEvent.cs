using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

public static class GetAdverseEvent
{
    [AllowedRoles(Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager)]
    public sealed record Query(Guid TrialId, Guid AdverseEventId) : IRequest<AdverseEventView>;

    /// <summary>One adverse event with every version: who entered it, when, why, and the whole form as it was.</summary>
    internal sealed class Handler(EdcDbContext db, AdverseEventReader reader, TimeProvider clock) : IRequestHandler<Query, AdverseEventView>
    {
        public async Task<AdverseEventView> Handle(Query query, CancellationToken cancellationToken)
        {
            var adverseEvent = await reader.GetAsync(query.TrialId, query.AdverseEventId, cancellationToken);
            var screeningNumber = await reader.ScreeningNumberAsync(adverseEvent, cancellationToken);
            var versions = await AdverseEventVersionView.ListAsync(db, adverseEvent.Id, cancellationToken);
            return AdverseEventView.From(adverseEvent, screeningNumber, clock.GetUtcNow(), versions);
        }
    }
}

using Edc.Api.Blinding;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Randomization;

public static class ReadRandomizationList
{
    /// <summary>A read that is itself recorded: its audit row commits through the write path.</summary>
    [AllowedRoles(Roles.UnblindedStatistician)]
    public sealed record Query(Guid TrialId) : IRequest<RandomizationListView>, IAuditedChange
    {
        public string? Reason => null;
    }

    /// <summary>The whole list with arms and the group key: the statistician's view only, and every read is audited.</summary>
    internal sealed class Handler(AssignmentGate gate) : IRequestHandler<Query, RandomizationListView>
    {
        public Task<RandomizationListView> Handle(Query query, CancellationToken cancellationToken) =>
            gate.RandomizationListAsync(query.TrialId, cancellationToken);
    }
}

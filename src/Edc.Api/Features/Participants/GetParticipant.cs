using Edc.Api.Common;
using Edc.Api.Security;
using MediatR;

namespace Edc.Api.Features.Participants;

public static class GetParticipant
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId) : IRequest<ParticipantView>;

    internal sealed class Handler(ParticipantViews views, VisibleData visible) : IRequestHandler<Query, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Query query, CancellationToken cancellationToken)
        {
            var (trial, participant) = await visible.TrialAndParticipantAsync(query.TrialId, query.ParticipantId, cancellationToken);
            return await views.ViewAsync(trial, participant, cancellationToken);
        }
    }
}

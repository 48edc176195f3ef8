using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.CasebookLocks;

public static class CasebookLockEndpoints
{
    public static void MapCasebookLockEndpoints(this IEndpointRouteBuilder app)
    {
        var participant = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}").WithTags("Data management");
        participant.MapPost("/lock", async (Guid trialId, Guid participantId, LockCasebook.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new LockCasebook.Command(trialId, participantId, body.Reason), ct)))
            .Describe(
                "LockCasebook", "Lock a participant's casebook",
                "Every form of the participant refuses changes (409 ParticipantLocked) until the casebook is unlocked; needs a reason. "
                + "409 ParticipantLocked when it already is.")
            .RequireRoles(Roles.DataManager);
        participant.MapPost("/unlock", async (Guid trialId, Guid participantId, UnlockCasebook.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new UnlockCasebook.Command(trialId, participantId, body.Reason), ct)))
            .Describe(
                "UnlockCasebook", "Unlock a participant's casebook",
                "The participant's forms take changes again; needs a reason. 409 ParticipantNotLocked when the casebook is not locked.")
            .RequireRoles(Roles.DataManager);
    }
}

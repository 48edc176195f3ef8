using Edc.Api.Common;
using Edc.Api.Features.Randomization;
using Edc.Api.Features.Unblinding;
using Edc.Api.Security;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Participants;

public static class ParticipantEndpoints
{
    public static void MapParticipantEndpoints(this IEndpointRouteBuilder app)
    {
        var participants = app.MapGroup("/api/trials/{trialId:guid}/participants").WithTags("Participants");
        participants.MapPost("/", async (Guid trialId, RegisterParticipant.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new RegisterParticipant.Command(trialId, body.SiteId, body.ScreeningNumber, body.Sex, body.BirthYear), ct);
                return Results.Created($"/api/trials/{trialId}/participants/{created.Id}", created);
            })
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        participants.MapGet("/", (Guid trialId, Guid? siteId, ParticipantStatus? status, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new ListParticipants.Query(trialId, siteId, status, PageRequest.From(page, pageSize)), ct))
            .RequireRoles(Authorization.EveryRole);
        participants.MapGet("/{participantId:guid}", (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new GetParticipant.Query(trialId, participantId), ct))
            .RequireRoles(Authorization.EveryRole);
        participants.MapPost("/{participantId:guid}/enrollment", (Guid trialId, Guid participantId, EnrollParticipant.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new EnrollParticipant.Command(trialId, participantId, body.ConsentDate, body.Eligibility, body.Strata), ct))
            .RequireRoles(Authorization.DataEntry);
        participants.MapPost("/{participantId:guid}/randomization", (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new RandomizeParticipant.Command(trialId, participantId), ct))
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        participants.MapPost("/{participantId:guid}/withdrawal", (Guid trialId, Guid participantId, WithdrawParticipant.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new WithdrawParticipant.Command(trialId, participantId, body.Date, body.Reason), ct))
            .RequireRoles(Authorization.DataEntry);
        participants.MapPost("/{participantId:guid}/emergency-unblinding", (Guid trialId, Guid participantId, EmergencyUnblinding.Body body, IMediator mediator, CancellationToken ct) =>
                mediator.Send(new EmergencyUnblinding.Command(trialId, participantId, body.Reason, body.Password), ct))
            .RequireRoles(Roles.Investigator);
    }
}

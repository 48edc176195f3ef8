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
                return TypedResults.Created($"/api/trials/{trialId}/participants/{created.Id}", created);
            })
            .Describe(
                "RegisterParticipant", "Register a participant",
                "Registers a participant at screening at one of the caller's sites; without a screening number the site's next one is given.")
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        participants.MapGet("/", async (Guid trialId, Guid? siteId, ParticipantStatus? status, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListParticipants.Query(trialId, siteId, status, PageRequest.From(page, pageSize)), ct)))
            .Describe(
                "ListParticipants", "List participants",
                "The participants of the caller's sites (every site for roles that are not site-scoped), filtered by site and status, paged. "
                + "Blinded callers see nothing of the arm.")
            .RequireRoles(Authorization.EveryRole);
        participants.MapGet("/{participantId:guid}", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetParticipant.Query(trialId, participantId), ct)))
            .Describe("GetParticipant", "Get a participant", "One participant; 404 when at a site the caller may not see. Blinded callers see nothing of the arm.")
            .RequireRoles(Authorization.EveryRole);
        participants.MapPost("/{participantId:guid}/enrollment", async (Guid trialId, Guid participantId, EnrollParticipant.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new EnrollParticipant.Command(trialId, participantId, body.ConsentDate, body.Eligibility, body.Strata), ct)))
            .Describe(
                "EnrollParticipant", "Enroll a participant",
                "Records consent, the answer to every eligibility criterion (true: the criterion applies) and the strata. An ineligible "
                + "participant becomes ScreenFailed and the answer is 409 naming the failed criteria.")
            .RequireRoles(Authorization.DataEntry);
        participants.MapPost("/{participantId:guid}/randomization", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new RandomizeParticipant.Command(trialId, participantId), ct)))
            .Describe(
                "RandomizeParticipant", "Randomize a participant",
                "Gives an enrolled participant the next slot of their stratum's list: randomization number and kit number, never the arm. "
                + "409 when not enrolled, already randomized, the trial is locked or the stratum's list is exhausted.")
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        participants.MapPost("/{participantId:guid}/withdrawal", async (Guid trialId, Guid participantId, WithdrawParticipant.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new WithdrawParticipant.Command(trialId, participantId, body.Date, body.Reason), ct)))
            .Describe("WithdrawParticipant", "Withdraw a participant", "Records the participant's withdrawal from the trial, with its date and reason.")
            .RequireRoles(Authorization.DataEntry);
        participants.MapPost("/{participantId:guid}/emergency-unblinding", async (Guid trialId, Guid participantId, EmergencyUnblinding.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new EmergencyUnblinding.Command(trialId, participantId, body.Reason, body.Password), ct)))
            .Describe(
                "EmergencyUnblinding", "Emergency unblinding",
                "Reveals the participant's arm to the investigator asking, after they confirm with their own password (403 otherwise); "
                + "audited and notified. The answer goes to that caller only.")
            .RequireRoles(Roles.Investigator);
    }
}

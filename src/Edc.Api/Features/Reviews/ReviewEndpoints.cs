using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Reviews;

public static class ReviewEndpoints
{
    public static void MapReviewEndpoints(this IEndpointRouteBuilder app)
    {
        var participant = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}").WithTags("Data management");
        participant.MapGet("/verification", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new GetVerificationWorksheet.Query(trialId, participantId), ct)))
            .Describe(
                "GetVerificationWorksheet", "A participant's source-data verification",
                "Per visit, each form with its status, whether it is verified (by whom, when) and frozen, and what changed since its "
                + "last verification (the audit trail's rows: item, old and new value, who, when, reason).")
            .RequireRoles(GetVerificationWorksheet.Readers);

        var form = participant.MapGroup("/visits/{visitCode}/forms/{formCode}").WithTags("Data management");
        form.MapPost("/verification", async (Guid trialId, Guid participantId, string visitCode, string formCode, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new VerifyForm.Command(trialId, participantId, visitCode, formCode), ct)))
            .Describe(
                "VerifyForm", "Verify a form against the source",
                "A monitor of the participant's site verifies the form's data as they stand (who, when); 409 FormNotEntered when it has "
                + "none. Any later change to the form's data clears the verification.")
            .RequireRoles(Roles.Monitor);
        form.MapPost("/freeze", async (Guid trialId, Guid participantId, string visitCode, string formCode, FreezeForm.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new FreezeForm.Command(trialId, participantId, visitCode, formCode, body.Reason), ct)))
            .Describe(
                "FreezeForm", "Freeze a form",
                "The form refuses changes (409 FormFrozen) until unfrozen, but still takes queries; needs a reason. 409 FormFrozen when it already is.")
            .RequireRoles(Roles.DataManager);
        form.MapPost("/unfreeze", async (Guid trialId, Guid participantId, string visitCode, string formCode, UnfreezeForm.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new UnfreezeForm.Command(trialId, participantId, visitCode, formCode, body.Reason), ct)))
            .Describe("UnfreezeForm", "Unfreeze a form", "The form takes changes again; needs a reason. 409 FormNotFrozen when it is not frozen.")
            .RequireRoles(Roles.DataManager);
    }
}

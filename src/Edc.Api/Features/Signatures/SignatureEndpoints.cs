using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Signatures;

public static class SignatureEndpoints
{
    public static void MapSignatureEndpoints(this IEndpointRouteBuilder app)
    {
        var signatures = app.MapGroup("/api/trials/{trialId:guid}/participants/{participantId:guid}/signatures").WithTags("Signatures");
        signatures.MapPost("/", async (Guid trialId, Guid participantId, AddSignature.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var signature = await mediator.Send(
                    new AddSignature.Command(trialId, participantId, body.Scope, body.VisitCode, body.Meaning, body.Password), ct);
                return TypedResults.Created($"/api/trials/{trialId}/participants/{participantId}/signatures", signature);
            })
            .Describe(
                "AddSignature", "Sign a visit or the casebook",
                "An investigator of the participant's site signs with their password entered again (21 CFR 11.200): a wrong one is 403, "
                + "recorded and counted toward the account's lockout. Every form in scope must be Complete (409 FormsIncomplete names the "
                + "others). The signature keeps the signer's name, the time, the meaning and the SHA-256 of the data signed. A retry under "
                + "the same Idempotency-Key replays the first signature whatever password it sends, and creates nothing.")
            .ProducesProblem(StatusCodes.Status403Forbidden)
            .RequireRoles(Roles.Investigator)
            .IdempotentLeavingOut("password");
        signatures.MapGet("/", async (Guid trialId, Guid participantId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListSignatures.Query(trialId, participantId), ct)))
            .Describe(
                "ListSignatures", "List a participant's signatures",
                "Every signature, oldest first, never deleted: valid, or invalidated by a later change to signed data with who changed "
                + "them, when and why; contentMatches says whether the data signed still hash as they did.")
            .RequireRoles(Authorization.EveryRole);
    }
}

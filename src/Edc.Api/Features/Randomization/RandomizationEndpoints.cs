using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Randomization;

public static class RandomizationEndpoints
{
    public static void MapRandomizationEndpoints(this IEndpointRouteBuilder app)
    {
        var list = app.MapGroup("/api/trials/{trialId:guid}/randomization-list").WithTags("Randomization").RequireRoles(Roles.UnblindedStatistician);
        list.MapPost("/", async (Guid trialId, CreateRandomizationList.Body body, IMediator mediator, CancellationToken ct) =>
            {
                var created = await mediator.Send(new CreateRandomizationList.Command(trialId, body.Seed, body.BlockSizes, body.SlotsPerStratum), ct);
                return TypedResults.Created($"/api/trials/{trialId}/randomization-list", created);
            })
            .Describe(
                "CreateRandomizationList", "Generate the randomization list",
                "Generates the trial's permuted-block list for every stratum; the same seed and parameters always give the same list.")
            .Idempotent();
        list.MapGet("/", async (Guid trialId, IMediator mediator, CancellationToken ct) => TypedResults.Ok(await mediator.Send(new ReadRandomizationList.Query(trialId), ct)))
            .Describe("ReadRandomizationList", "Read the randomization list", "The whole list with arms and the group key; the read is audited.");
        list.MapPost("/import", async (Guid trialId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var created = await mediator.Send(new ImportRandomizationList.Command(trialId, await reader.ReadToEndAsync(ct)), ct);
                return TypedResults.Created($"/api/trials/{trialId}/randomization-list", created);
            })
            .Describe(
                "ImportRandomizationList", "Import a randomization list",
                "Imports a list generated elsewhere instead of generating one. Body: CSV (text/csv) with the header " + ImportRandomizationList.Header + ".")
            .WithRawRequestBody("text/csv", "The list as CSV, with the header " + ImportRandomizationList.Header + ".")
            .Idempotent();
        list.MapPost("/extension", async (Guid trialId, ExtendRandomizationList.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ExtendRandomizationList.Command(trialId, body.Stratum, body.Slots), ct)))
            .Describe("ExtendRandomizationList", "Extend a stratum's list", "Appends the next blocks of one stratum's list, deterministically from the list's seed; audited with the new checksum.")
            .Idempotent();
    }
}

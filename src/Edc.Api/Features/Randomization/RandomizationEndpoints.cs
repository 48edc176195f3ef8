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
            return Results.Created($"/api/trials/{trialId}/randomization-list", created);
        }).Idempotent();
        list.MapGet("/", (Guid trialId, IMediator mediator, CancellationToken ct) => mediator.Send(new ReadRandomizationList.Query(trialId), ct));
        list.MapPost("/import", async (Guid trialId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var created = await mediator.Send(new ImportRandomizationList.Command(trialId, await reader.ReadToEndAsync(ct)), ct);
                return Results.Created($"/api/trials/{trialId}/randomization-list", created);
            })
            .WithDescription("Body: CSV (text/csv) with the header " + ImportRandomizationList.Header + ".")
            .Idempotent();
        list.MapPost("/extension", (Guid trialId, ExtendRandomizationList.Body body, IMediator mediator, CancellationToken ct) =>
            mediator.Send(new ExtendRandomizationList.Command(trialId, body.Stratum, body.Slots), ct))
            .Idempotent();
    }
}

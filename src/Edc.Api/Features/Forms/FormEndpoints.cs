using Edc.Api.Common;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;
using Microsoft.AspNetCore.Mvc;

namespace Edc.Api.Features.Forms;

public static class FormEndpoints
{
    public static void MapFormEndpoints(this IEndpointRouteBuilder app)
    {
        var trial = app.MapGroup("/api/trials/{trialId:guid}").WithTags("Forms");
        trial.MapGet("/forms", async (Guid trialId, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListForms.Query(trialId), ct)))
            .Describe("ListForms", "List the trial's forms", "Every form of the trial at its newest version, the built-in MRSS, INFUSION and AE first.")
            .RequireRoles(Authorization.EveryRole);
        trial.MapPost("/forms", async (Guid trialId, FormModel form, IMediator mediator, CancellationToken ct) =>
            {
                var defined = await mediator.Send(new DefineForm.Command(trialId, form), ct);
                return TypedResults.Created($"/api/trials/{trialId}/forms", defined);
            })
            .Describe(
                "DefineForm", "Add a form version",
                "A form with an existing code adds its version N+1 (a new code, version 1), checked with the trial's other forms and "
                + "schedule; 400 names each problem by its path. Data keep the version they were entered under; new entries use the newest.")
            .RequireRoles(Roles.Admin)
            .Idempotent();
        trial.MapPost("/forms/import", async (Guid trialId, HttpRequest request, IMediator mediator, CancellationToken ct) =>
            {
                using var reader = new StreamReader(request.Body);
                var imported = await mediator.Send(new ImportForms.Command(trialId, await reader.ReadToEndAsync(ct)), ct);
                return TypedResults.Created($"/api/trials/{trialId}/forms", imported);
            })
            .Describe(
                "ImportForms", "Import forms from a CDISC ODM document",
                "Adds every FormDef of the document's first MetaDataVersion as a form (an existing code gets its next version), with its "
                + "items, code lists, units, range checks, conditions (showIf) and methods (expressions), all or none. The built-in forms "
                + "and RANDOMIZATION, which every trial has, are skipped and listed. 400 names each element Edc cannot represent.")
            .WithRawRequestBody("application/xml", "A CDISC ODM 1.3.2 document with a MetaDataVersion (the ODM export's metadata is one).")
            .RequireRoles(Roles.Admin)
            .Idempotent();

        var visit = trial.MapGroup("/participants/{participantId:guid}/visits/{visitCode}/forms").WithTags("Forms");
        visit.MapGet("/", async (Guid trialId, Guid participantId, string visitCode, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListVisitForms.Query(trialId, participantId, visitCode), ct)))
            .Describe("ListVisitForms", "List a visit's forms", "The forms the visit collects, in the schedule's order, each with its status (NotStarted, InProgress, Complete).")
            .RequireRoles(Authorization.EveryRole);
        visit.MapGet("/{formCode}", async (Guid trialId, Guid participantId, string visitCode, string formCode, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(WithETag(response, await mediator.Send(new GetVisitForm.Query(trialId, participantId, visitCode, formCode), ct))))
            .Describe(
                "GetVisitForm", "Get a visit's form",
                "The form's values (calculated ones included), the version of the form they are entered under, the status and the soft-range "
                + "warnings; NotStarted, without an ETag, before the first save. The ETag is the version an edit names in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        visit.MapPut("/{formCode}", async (
                Guid trialId, Guid participantId, string visitCode, string formCode, SaveVisitForm.Body body,
                [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(
                    new SaveVisitForm.Command(trialId, participantId, visitCode, formCode, body.Values, body.Reason, ifMatch), ct))))
            .Describe(
                "SaveVisitForm", "Save a visit's form",
                "All the form's values at once; calculated items are computed here (sending one is 400), and 400 names each item's error as "
                + "values.<ITEM>. A value outside the soft range is saved and listed in warnings. An edit needs a reason and If-Match.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);

        visit.MapPost("/{formCode}/evaluation", async (
                Guid trialId, Guid participantId, string visitCode, string formCode, EvaluateForm.Body body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new EvaluateForm.Query(trialId, participantId, visitCode, formCode, null, body.Values), ct)))
            .Describe("EvaluateVisitForm", "Evaluate a visit's form without saving it", EvaluationDescription)
            .RequireRoles(Authorization.DataEntry);

        var log = trial.MapGroup("/participants/{participantId:guid}/logs/{formCode}").WithTags("Forms");
        log.MapPost("/", async (Guid trialId, Guid participantId, string formCode, AddLogEntry.Body body, HttpResponse response, IMediator mediator, CancellationToken ct) =>
            {
                var entry = response.WithETag(await mediator.Send(new AddLogEntry.Command(trialId, participantId, formCode, body.Values), ct));
                return TypedResults.Created($"/api/trials/{trialId}/participants/{participantId}/logs/{formCode}/{entry.Id}", entry);
            })
            .Describe("AddLogEntry", "Add a log entry", "A new entry of the participant's log form (a medication, a condition), under the form's newest version.")
            .WithResponseHeader(StatusCodes.Status201Created, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.DataEntry)
            .Idempotent();
        log.MapPost("/evaluation", async (Guid trialId, Guid participantId, string formCode, EvaluateForm.LogBody body, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new EvaluateForm.Query(trialId, participantId, null, formCode, body.EntryId, body.Values), ct)))
            .Describe("EvaluateLogEntry", "Evaluate a log entry without saving it", EvaluationDescription + " With entryId, under the version that entry was entered with.")
            .RequireRoles(Authorization.DataEntry);
        log.MapGet("/", async (Guid trialId, Guid participantId, string formCode, int? page, int? pageSize, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(await mediator.Send(new ListLogEntries.Query(trialId, participantId, formCode, PageRequest.From(page, pageSize)), ct)))
            .Describe("ListLogEntries", "List a log form's entries", "The participant's entries in the order they were entered, removed ones included and marked, paged.")
            .RequireRoles(Authorization.EveryRole);
        log.MapGet("/{entryId:guid}", async (Guid trialId, Guid participantId, string formCode, Guid entryId, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(new GetLogEntry.Query(trialId, participantId, formCode, entryId), ct))))
            .Describe("GetLogEntry", "Get a log entry", "One entry with its values and status. The ETag is the version an edit names in If-Match.")
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .RequireRoles(Authorization.EveryRole);
        log.MapPut("/{entryId:guid}", async (
                Guid trialId, Guid participantId, string formCode, Guid entryId, ReviseLogEntry.Body body,
                [FromHeader(Name = RecordVersion.IfMatchHeader)] string? ifMatch, HttpResponse response, IMediator mediator, CancellationToken ct) =>
                TypedResults.Ok(response.WithETag(await mediator.Send(
                    new ReviseLogEntry.Command(trialId, participantId, formCode, entryId, body.Values, body.Reason, body.Removed, ifMatch), ct))))
            .Describe(
                "ReviseLogEntry", "Correct or remove a log entry",
                "Corrects the entry's values, or with removed: true marks it removed (never deleted); either needs a reason and If-Match.")
            .WithRequestHeader(RecordVersion.IfMatchHeader, RecordVersion.IfMatchDescription)
            .WithResponseHeader(StatusCodes.Status200OK, "ETag", RecordVersion.ETagDescription)
            .ProducesProblem(StatusCodes.Status428PreconditionRequired)
            .RequireRoles(Authorization.DataEntry);
    }

    private const string EvaluationDescription =
        "What the values would come to, with nothing saved: the items asked (their showIf holds), the values a save would keep with the "
        + "calculated ones computed, the status, and the errors (answered, not a 400) and warnings a save would meet. A page asks it as values are typed.";

    // A form not yet saved has no version to name.
    private static FormDataView WithETag(HttpResponse response, FormDataView view) => view.Version > 0 ? response.WithETag(view) : view;
}

using Edc.Api.Common;
using Edc.Api.Features.Exports.Odm;
using Edc.Api.Security;
using Edc.Domain.Security;
using MediatR;

namespace Edc.Api.Features.Exports;

/// <summary>
/// CSV exports of a trial's clinical data. Every role that works with the trial's clinical data may export it:
/// Admin, DsmbMember and UnblindedStatistician across sites, Coordinator and Investigator for their own sites. The
/// Pharmacist, who sees arms and nothing else, may not. Exports are blinded until the final unblinding.
/// </summary>
public static class ExportEndpoints
{
    public static readonly string[] ExportRoles =
        [Roles.Admin, Roles.Coordinator, Roles.Investigator, Roles.DsmbMember, Roles.UnblindedStatistician, Roles.Monitor, Roles.DataManager];

    public static void MapExportEndpoints(this IEndpointRouteBuilder app)
    {
        var exports = app.MapGroup("/api/trials/{trialId:guid}/exports").WithTags("Exports");
        exports.MapGet("/" + ExportMrss.Name, (Guid trialId, HttpContext context, IMediator mediator, CancellationToken ct) =>
                StreamAsync(context, mediator.Send(new ExportMrss.Query(trialId), ct), ct))
            .Describe(
                "ExportMrss", "Export MRSS as CSV",
                "Every MRSS of the participants the caller may see, one row per assessment, as CSV; audited, blinded until the final unblinding.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .RequireRoles(ExportRoles);
        exports.MapGet("/" + ExportVisits.Name, (Guid trialId, HttpContext context, IMediator mediator, CancellationToken ct) =>
                StreamAsync(context, mediator.Send(new ExportVisits.Query(trialId), ct), ct))
            .Describe(
                "ExportVisits", "Export visits as CSV",
                "Every visit of the participants the caller may see, one row per visit, as CSV; audited, blinded until the final unblinding.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .RequireRoles(ExportRoles);
        exports.MapGet("/forms/{formCode}.csv", (Guid trialId, string formCode, HttpContext context, IMediator mediator, CancellationToken ct) =>
                StreamAsync(context, mediator.Send(new ExportForm.Query(trialId, formCode), ct), ct))
            .Describe(
                "ExportForm", "Export a form as CSV",
                "A form's data for the participants the caller may see: one row per participant and visit, or per log entry (removed ones marked), "
                + "then one column per item of every version of the form; the built-in MRSS, INFUSION and AE too. Audited, blinded until the "
                + "final unblinding; 404 for a form the trial does not have.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .RequireRoles(ExportRoles);
        exports.MapGet("/" + ExportDataDictionary.Name, (Guid trialId, HttpContext context, IMediator mediator, CancellationToken ct) =>
                StreamAsync(context, mediator.Send(new ExportDataDictionary.Query(trialId), ct), ct))
            .Describe(
                "ExportDataDictionary", "Export the data dictionary as CSV",
                "One row per form, version and item: type, label, units, ranges, code list, conditions, expressions and the visits that collect the form; audited.")
            .Produces<string>(StatusCodes.Status200OK, "text/csv")
            .RequireRoles(ExportRoles);
        exports.MapGet("/odm", (Guid trialId, string? type, HttpContext context, IMediator mediator, CancellationToken ct) =>
                StreamAsync(context, mediator.Send(new ExportOdm.Query(trialId, type), ct), ct))
            .Describe(
                "ExportOdm", "Export the trial as CDISC ODM 1.3.2",
                "The trial's metadata (visits, forms, items, code lists, units, ranges, conditions, methods), administration (users, sites, "
                + "signature meanings) and every participant's data, as a document valid against the ODM 1.3.2 schema (docs/odm.md): "
                + "type=Snapshot (the default) the current values and valid signatures, type=Transactional every value's history with its "
                + "audit records and every signature. One consistent moment of the trial, streamed; audited; the arm only after the final unblinding.")
            .Produces<string>(StatusCodes.Status200OK, "application/xml")
            .RequireRoles(Roles.Admin, Roles.DataManager, Roles.UnblindedStatistician);
    }

    private static async Task<IResult> StreamAsync(HttpContext context, Task<PreparedExport> prepared, CancellationToken ct)
    {
        // Checks and the audit row come first, so a refusal is still a problem body; then rows stream.
        var export = await prepared;
        context.Response.Headers.CacheControl = "no-store";
        return Results.Stream(body => export.WriteAsync(body, ct), export.ContentType, export.FileName);
    }
}

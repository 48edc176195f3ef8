using Edc.Api.Common;
using Edc.Api.Common.Signatures;
using Edc.Api.Security;
using Edc.Domain.Forms;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Forms;

public static class GetVisitForm
{
    [AllowedToEveryRole]
    public sealed record Query(Guid TrialId, Guid ParticipantId, string VisitCode, string FormCode) : IRequest<FormDataView>;

    /// <summary>
    /// A visit's form with its values, or NotStarted before its first save. The built-in MRSS and infusion read as forms
    /// too, from their own records (entered through their own endpoints).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible, FormCatalogs catalogs, SignatureViews signatures) : IRequestHandler<Query, FormDataView>
    {
        public async Task<FormDataView> Handle(Query query, CancellationToken cancellationToken)
        {
            var context = await VisitFormContext.LoadAsync(
                db, visible, catalogs, query.TrialId, query.ParticipantId, query.VisitCode, query.FormCode, changes: null, cancellationToken);
            var view = await ViewAsync(context, query, cancellationToken);

            // Signed data show their signatures: the visit's and the casebook's.
            var signed = (await signatures.OfParticipantAsync(context.Participant.Id, cancellationToken)).Where(s => s.Covers(context.Visit.Code)).ToList();
            return view with
            {
                Signatures = signed,
                Signed = signed.Any(s => s.Valid),
                Verified = context.Review?.IsVerified == true,
                Frozen = context.Review?.IsFrozen == true,
            };
        }

        private async Task<FormDataView> ViewAsync(VisitFormContext context, Query query, CancellationToken cancellationToken) =>
            query.FormCode switch
            {
                BuiltInFormCodes.Mrss => await db.MrssAssessments.AsNoTracking().SingleOrDefaultAsync(m => m.VisitId == context.Visit.Id, cancellationToken) is { } mrss
                    ? BuiltIn(context.Form, mrss.Id, mrss.Version, BuiltInFormValues.Of(mrss))
                    : FormDataView.NotStarted(context.Form),
                BuiltInFormCodes.Infusion => await db.Infusions.AsNoTracking().SingleOrDefaultAsync(i => i.VisitId == context.Visit.Id, cancellationToken) is { } infusion
                    ? BuiltIn(context.Form, infusion.Id, infusion.Version, BuiltInFormValues.Of(infusion))
                    : FormDataView.NotStarted(context.Form),
                _ => context.Record is { } record ? FormDataView.From(record, context.Form) : FormDataView.NotStarted(context.Form),
            };

        private static FormDataView BuiltIn(VersionedForm form, Guid id, int version, Dictionary<string, object> values) =>
            FormDataView.Of(id, form, FormValues.Write(form.Definition, values), FormStatus.Complete, version);
    }
}

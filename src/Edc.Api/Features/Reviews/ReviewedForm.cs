using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Domain.DataManagement;
using Edc.Domain.Forms;
using Edc.Domain.Participants;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Reviews;

/// <summary>
/// What a verification, freeze or unfreeze of one form of one visit changes: the form's review (made on the first one),
/// with the participant whose row it locked first, so that the review and any save of the form's data (which holds that
/// row shared) come wholly one after the other. 404 unless the caller sees the participant and the visit collects the form.
/// </summary>
internal sealed record ReviewedForm(Participant Participant, ScheduledVisit Visit, FormReview Review)
{
    public static async Task<ReviewedForm> LoadAsync(
        EdcDbContext db, ForChange load, FormCatalogs catalogs, Guid trialId, Guid participantId, string visitCode, string formCode,
        CancellationToken cancellationToken)
    {
        var (trial, participant) = await load.TrialAndParticipantAsync(trialId, participantId, cancellationToken);
        // The database lock ends data management too: what was verified and frozen then stays as it was.
        trial.RequireOpenForData();
        var visit = await load.VisitAsync(participant, visitCode, cancellationToken);
        var catalog = await catalogs.ForAsync(db, trialId, trial.FormsRevision, cancellationToken);
        if (!catalog.FormsAt(visit).Contains(formCode))
        {
            throw new NotFoundException($"The form {formCode} at {visit.Code}");
        }

        var review = await db.FormReviews.SingleOrDefaultAsync(r => r.VisitId == visit.Id && r.FormCode == formCode, cancellationToken);
        if (review is null)
        {
            review = FormReview.For(visit, formCode);
            db.FormReviews.Add(review);
        }

        return new ReviewedForm(participant, visit, review);
    }

    /// <summary>Whether the form has data to verify: its saved record, or for the built-in MRSS and infusion their own.</summary>
    public async Task<bool> IsEnteredAsync(EdcDbContext db, CancellationToken cancellationToken) => Review.FormCode switch
    {
        BuiltInFormCodes.Mrss => await db.MrssAssessments.AnyAsync(m => m.VisitId == Visit.Id, cancellationToken),
        BuiltInFormCodes.Infusion => await db.Infusions.AnyAsync(i => i.VisitId == Visit.Id, cancellationToken),
        _ => await db.FormRecords.AnyAsync(r => r.VisitId == Visit.Id && r.FormCode == Review.FormCode, cancellationToken),
    };
}

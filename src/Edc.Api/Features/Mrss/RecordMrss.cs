using System.Text.Json;
using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Security;
using Edc.Domain.Visits;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Mrss;

public static class RecordMrss
{
    /// <param name="Total">Never accepted: the total is derived. Bound only to refuse a body that carries it.</param>
    public sealed record Body(DateOnly? AssessedOn, string? AssessorName, Dictionary<string, int>? Scores, string? Reason, JsonElement? Total);

    /// <param name="IfMatch">The request's <c>If-Match</c> header: the version an edit was made from.</param>
    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(
        Guid TrialId,
        Guid ParticipantId,
        string VisitCode,
        DateOnly? AssessedOn,
        string? AssessorName,
        IReadOnlyDictionary<string, int>? Scores,
        string? Reason,
        bool TotalSent,
        string? IfMatch) : IRequest<MrssView>, ITrialChange;

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.AssessedOn).NotNull()
                .Must(d => d is null || d.Value <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime))
                .WithMessage("The assessment date cannot be in the future.");
            RuleFor(c => c.AssessorName).NotEmpty().MaximumLength(200);
            RuleFor(c => c.Reason).MaximumLength(2000);
            RuleFor(c => c.TotalSent).Equal(false).OverridePropertyName("total")
                .WithMessage("The total is derived from the 17 areas; do not send it.");
            RuleFor(c => c.Scores).NotNull().WithMessage("All 17 areas are scored, each 0 to 3.");
            RuleFor(c => c.Scores).Custom((scores, context) =>
            {
                if (scores is null)
                {
                    return;
                }

                foreach (var area in MrssAssessment.Areas.Where(a => !scores.ContainsKey(a)))
                {
                    context.AddFailure(Failure(area, "Every one of the 17 areas is scored: this one is missing."));
                }

                foreach (var (area, score) in scores)
                {
                    if (!MrssAssessment.Areas.Contains(area, StringComparer.Ordinal))
                    {
                        context.AddFailure(Failure(area, $"No such area. The areas are: {string.Join(", ", MrssAssessment.Areas)}."));
                    }
                    else if (score is < 0 or > 3)
                    {
                        context.AddFailure(Failure(area, "A score is 0, 1, 2 or 3."));
                    }
                }
            });
        }

        private static ValidationFailure Failure(string area, string message) =>
            new("scores." + area, message) { CustomState = ProblemMapping.DataKey };
    }

    /// <summary>
    /// Records the MRSS of a visit whose procedures include it, for a randomized participant of an open trial. The first
    /// save needs no reason; an edit needs a reason and the version it was made from (<c>If-Match</c>): without it 428,
    /// from an older version 409 StaleEdit, and nothing changes. The audit trail keeps every changed area's old value.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, VisibleData visible) : IRequestHandler<Command, MrssView>
    {
        public async Task<MrssView> Handle(Command command, CancellationToken cancellationToken)
        {
            // The trial, the participant (one the caller may see), the visit and its MRSS if recorded: one query, left
            // joins on unique indexes.
            var found = await (
                    from t in db.Trials.Where(t => t.Id == command.TrialId)
                    from p in visible.Participants(command.TrialId).Where(p => p.Id == command.ParticipantId).DefaultIfEmpty()
                    from v in db.Visits.Where(v => v.ParticipantId == p.Id && v.Code == command.VisitCode).DefaultIfEmpty()
                    from m in db.MrssAssessments.Where(m => m.VisitId == v.Id).DefaultIfEmpty()
                    select new { Trial = t, Participant = p, Visit = v, Assessment = m })
                .SingleAsync(cancellationToken);
            var participant = found.Participant ?? throw new NotFoundException("The participant");
            found.Trial.RequireOpenForData();
            var (visit, assessment) = (found.Visit ?? throw new NotFoundException("The visit"), found.Assessment);
            var assessedOn = command.AssessedOn!.Value;
            ScheduledVisit.RequireOnStudy(participant, assessedOn);
            var assessorName = command.AssessorName!.Trim();
            RecordVersion.Require(command.IfMatch, assessment?.Version, assessment is not null, command.Reason, "MRSS");
            ChangeReason.Require(assessment is not null, command.Reason, "MRSS");
            if (assessment is null)
            {
                assessment = MrssAssessment.Record(visit, assessedOn, assessorName, command.Scores!);
                db.MrssAssessments.Add(assessment);
            }
            else
            {
                // The update applies only to the version read (its concurrency token): an edit committed since makes it fail.
                assessment.Update(assessedOn, assessorName, command.Scores!);
            }

            return await MrssView.ForAsync(db, visit, assessment, cancellationToken);
        }
    }
}

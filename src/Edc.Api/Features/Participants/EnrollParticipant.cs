using Edc.Api.Common;
using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Participants;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using FluentValidation;
using FluentValidation.Results;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Participants;

public static class EnrollParticipant
{
    public sealed record Body(DateOnly? ConsentDate, Dictionary<string, bool>? Eligibility, Dictionary<string, string>? Strata);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid ParticipantId, DateOnly? ConsentDate, Dictionary<string, bool>? Eligibility, Dictionary<string, string>? Strata)
        : IRequest<ParticipantView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator(TimeProvider clock)
        {
            RuleFor(c => c.ConsentDate).NotNull()
                .Must(d => d <= DateOnly.FromDateTime(clock.GetUtcNow().UtcDateTime)).WithMessage("The consent date cannot be in the future.");
            RuleFor(c => c.Eligibility).NotNull();
        }
    }

    internal sealed class Handler(EdcDbContext db, ForChange load, ParticipantViews views, TimeProvider clock) : IRequestHandler<Command, ParticipantView>
    {
        public async Task<ParticipantView> Handle(Command command, CancellationToken cancellationToken)
        {
            var participant = await load.ParticipantAsync(command.TrialId, command.ParticipantId, cancellationToken);
            var trial = await load.TrialAsync(command.TrialId, cancellationToken);
            await db.Entry(trial).Collection(t => t.EligibilityCriteria).LoadAsync(cancellationToken);
            await db.Entry(trial).Collection(t => t.StratificationFactors).LoadAsync(cancellationToken);
            var siteCode = await db.Sites.Where(s => s.Id == participant.SiteId).Select(s => s.Code).SingleAsync(cancellationToken);
            var strata = Stratum.WithSiteLevel(trial, command.Strata ?? [], siteCode);
            RequireAnswersMatchDefinition(trial, command.Eligibility!, strata);

            var failed = participant.Enroll(trial, command.ConsentDate!.Value, command.Eligibility!, strata, clock.GetUtcNow());
            if (failed.Count > 0)
            {
                // Saved as ScreenFailed all the same: the answers and the outcome are part of the record.
                throw new RecordedRuleViolationException(new RuleViolationException(
                    RuleCodes.EligibilityNotMet,
                    "The participant does not meet the eligibility criteria and is now ScreenFailed: " + string.Join(", ", failed) + ".",
                    new Dictionary<string, object> { ["failedCriteria"] = failed }));
            }

            return await views.ViewAsync(trial, participant, cancellationToken);
        }

        /// <summary>Every criterion and factor of the definition answered, nothing else: field errors otherwise.</summary>
        private static void RequireAnswersMatchDefinition(Domain.Trials.Trial trial, Dictionary<string, bool> eligibility, Dictionary<string, string> strata)
        {
            var errors = new List<ValidationFailure>();
            errors.AddRange(trial.EligibilityCriteria.Where(c => !eligibility.ContainsKey(c.Code))
                .Select(c => new ValidationFailure($"eligibility.{c.Code}", $"An answer for '{c.Text}' is required.") { CustomState = ProblemMapping.DataKey }));
            errors.AddRange(eligibility.Keys.Where(k => trial.EligibilityCriteria.All(c => c.Code != k))
                .Select(k => new ValidationFailure($"eligibility.{k}", "The trial has no such criterion.") { CustomState = ProblemMapping.DataKey }));
            foreach (var factor in trial.StratificationFactors)
            {
                if (!strata.TryGetValue(factor.Code, out var level) || !factor.Levels.Contains(level))
                {
                    errors.Add(new ValidationFailure($"strata.{factor.Code}", $"One of: {string.Join(", ", factor.Levels)}.") { CustomState = ProblemMapping.DataKey });
                }
            }

            errors.AddRange(strata.Keys.Where(k => trial.StratificationFactors.All(f => f.Code != k))
                .Select(k => new ValidationFailure($"strata.{k}", "The trial has no such stratification factor.") { CustomState = ProblemMapping.DataKey }));
            if (errors.Count > 0)
            {
                throw new ValidationException(errors);
            }
        }
    }
}

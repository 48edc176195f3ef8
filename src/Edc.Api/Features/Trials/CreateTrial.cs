using Edc.Api.Common.Changes;
using Edc.Api.Features.Forms;
using Edc.Api.Security;
using Edc.Domain.Common;
using Edc.Domain.Security;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.Trials;

public static class CreateTrial
{
    /// <summary>A trial definition, with the sites to create with it (definition files name theirs).</summary>
    [AllowedRoles(Roles.Admin)]
    [SystemRequest]
    public sealed record Command(
        string? Code,
        string? Title,
        List<ArmModel>? Arms,
        List<VisitDefinitionModel>? VisitDefinitions,
        List<CriterionModel>? EligibilityCriteria,
        List<FactorModel>? StratificationFactors,
        List<SiteModel>? Sites,
        List<FormModel?>? Forms = null) : IRequest<TrialDetails>, IAuditedChange
    {
        public string? Reason => null;
    }

    internal sealed class Handler(EdcDbContext db, TimeProvider clock) : IRequestHandler<Command, TrialDetails>
    {
        public async Task<TrialDetails> Handle(Command command, CancellationToken cancellationToken)
        {
            if (await db.Trials.AnyAsync(t => t.Code == command.Code, cancellationToken))
            {
                throw new RuleViolationException(RuleCodes.TrialCodeTaken, $"A trial with code '{command.Code}' already exists.");
            }

            var trial = Trial.Define(ToDefinition(command), clock.GetUtcNow());
            db.Trials.Add(trial);
            var sites = new List<Site>();
            foreach (var site in command.Sites ?? [])
            {
                sites.Add(trial.AddSite(site.Code!, site.Name!, sites));
            }

            db.Sites.AddRange(sites);
            return TrialDetails.From(trial);
        }

        private static TrialDefinition ToDefinition(Command command) => new(
            command.Code!,
            command.Title!,
            [.. command.Arms!.Select(a => new ArmSpec(a.Code!, a.Name!, a.Ratio))],
            [.. command.VisitDefinitions!.Select(v => new VisitSpec(v.Code!, v.Name!, v.Day, v.WindowBefore, v.WindowAfter, v.Procedures ?? [], v.Forms))],
            [.. (command.EligibilityCriteria ?? []).Select(c => new CriterionSpec(c.Code!, Enum.Parse<CriterionKind>(c.Kind!), c.Text!))],
            [.. (command.StratificationFactors ?? []).Select(f => new FactorSpec(f.Code!, f.Name!, f.Levels!))],
            [.. (command.Forms ?? []).Select(f => f!.ToSpec().Spec!)]);
    }
}

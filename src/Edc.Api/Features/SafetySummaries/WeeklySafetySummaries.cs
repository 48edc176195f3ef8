using Edc.Api.Security;
using Edc.Domain.Scheduling;
using Edc.Domain.Trials;
using Edc.Infrastructure.Persistence;
using MediatR;
using Microsoft.EntityFrameworkCore;

namespace Edc.Api.Features.SafetySummaries;

public static class WeeklySafetySummaries
{
    public const string JobName = "WeeklySafetySummary";

    /// <summary>Returns how many summaries this occurrence created.</summary>
    [SystemRequest]
    public sealed record Command(DateTimeOffset ScheduledAt) : IRequest<int>;

    /// <summary>
    /// The week's safety summary of every active trial, for the data safety board. The summary is unique per trial and
    /// ISO week in the database, so a second instance or a re-fire of the occurrence creates no second one (and no
    /// second notification, which is written with it).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, IMediator mediator) : IRequestHandler<Command, int>
    {
        public async Task<int> Handle(Command command, CancellationToken cancellationToken)
        {
            var trials = await db.Trials.AsNoTracking().Where(t => t.Status == TrialStatus.Active).OrderBy(t => t.Code).Select(t => t.Id)
                .ToListAsync(cancellationToken);
            var created = 0;
            foreach (var trialId in trials)
            {
                var result = await mediator.Send(new GenerateSafetySummary.Command(trialId, JobPeriods.IsoWeek(command.ScheduledAt), JobName), cancellationToken);
                created += result.Created ? 1 : 0;
            }

            return created;
        }
    }
}

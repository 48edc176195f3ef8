using System.Data;
using System.Security.Cryptography;
using System.Text;
using Edc.Api.Common;
using Edc.Api.Features.Notifications;
using Edc.Api.Security;
using Edc.Domain.Notifications;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using Edc.Infrastructure.Auditing;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Safety;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Edc.Api.Features.SafetySummaries;

/// <summary>
/// Generates a safety summary now: on demand (a board member or the statistician, over HTTP) or from a scheduled job.
/// A job names itself (<see cref="Command.JobName"/>) and the reporting period (<see cref="Command.Period"/>): at most
/// one summary exists per trial and period, so a job fired twice for a period (a retry, a second instance) gets the
/// first one back, with <see cref="Result.Created"/> false, and creates nothing. The figures are computed in the
/// database in one statement (<see cref="SafetySummarySql"/>), in a REPEATABLE READ transaction whose timestamp is the
/// data cut-off; the insert is audited like any other (the content as its hash).
/// </summary>
public static class GenerateSafetySummary
{
    /// <param name="TrialId">The trial.</param>
    /// <param name="Period">The reporting period a job generates for (e.g. "2026-11", "2026-W47"); null on demand.</param>
    /// <param name="JobName">The job generating it; null when a signed-in user asks. Never taken from an HTTP request.</param>
    [AllowedRoles(Roles.DsmbMember, Roles.UnblindedStatistician)]
    [SystemRequest]
    public sealed record Command(Guid TrialId, string? Period = null, string? JobName = null) : IRequest<Result>;

    public sealed record Result(SafetySummaryInfo Summary, bool Created);

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Period).MaximumLength(SafetySummary.MaxPeriodLength).Matches("^[\\x21-\\x7E]+$")
                .When(c => c.Period is not null).WithMessage("A period is 1 to 100 printable characters without spaces.");
            RuleFor(c => c.JobName).NotEmpty().MaximumLength(SafetySummary.MaxJobNameLength).When(c => c.JobName is not null);
        }
    }

    public const string SummaryReadyKind = "SafetySummaryReady";

    internal sealed class Handler(EdcDbContext db, CurrentUser user, VisibleData visible) : IRequestHandler<Command, Result>
    {
        public async Task<Result> Handle(Command command, CancellationToken cancellationToken)
        {
            if (command.JobName is null)
            {
                // On demand: a signed-in caller, for a trial they may see.
                _ = user.Id ?? throw new AuthenticationFailedException("Sign in to generate a safety summary.");
                await visible.RequireTrialAsync(command.TrialId, cancellationToken);
            }
            else if (!await db.Trials.AnyAsync(t => t.Id == command.TrialId, cancellationToken))
            {
                throw new NotFoundException("The trial");
            }

            if (command.Period is not null && await ExistingAsync(command, cancellationToken) is { } existing)
            {
                return new Result(existing, Created: false);
            }

            try
            {
                return new Result(await CreateAsync(command, cancellationToken), Created: true);
            }
            catch (DbUpdateException e) when (command.Period is not null && e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
            {
                // Another instance generated this period's summary at the same time: answer that one.
                db.ChangeTracker.Clear();
                return new Result(await ExistingAsync(command, cancellationToken) ?? throw new InvalidOperationException("The period's summary vanished."), Created: false);
            }
        }

        private async Task<SafetySummaryInfo> CreateAsync(Command command, CancellationToken cancellationToken)
        {
            // The figures come from one REPEATABLE READ snapshot, read-only; the summary is written afterwards in a READ
            // COMMITTED transaction, because the audit chain's trigger must see the latest committed audit row to extend it.
            SafetySnapshot snapshot;
            await using (var reading = await db.Database.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken))
            {
                snapshot = await SafetySummarySql.ComputeAsync(db, command.TrialId, cancellationToken);
                // Read-only: ending it cannot lose anything, so a caller gone meanwhile does not turn its end into an error.
                await reading.CommitAsync(CancellationToken.None);
            }

            await using var transaction = await AuditedTransaction.BeginAsync(db, reason: null, cancellationToken);
            var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(snapshot.Content)));
            var summary = SafetySummary.Generate(
                command.TrialId, snapshot.DataCutoff, snapshot.Content, hash,
                command.JobName is null ? user.Id : null, command.JobName, command.Period);
            db.SafetySummaries.Add(summary);
            await NotifyReadersAsync(summary, cancellationToken);
            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return SafetySummaryInfo.From(summary);
        }

        /// <summary>The board's members and the statistician learn, in the summary's own transaction, that it is ready to read.</summary>
        private async Task NotifyReadersAsync(SafetySummary summary, CancellationToken cancellationToken)
        {
            var readers = await NotificationRecipients.WithRolesAsync(db, [Roles.DsmbMember, Roles.UnblindedStatistician], cancellationToken);
            var trialCode = await db.Trials.Where(t => t.Id == summary.TrialId).Select(t => t.Code).SingleAsync(cancellationToken);
            var body = $"A safety summary of {trialCode} with data up to {summary.DataCutoff:u} is ready: " +
                $"/api/trials/{summary.TrialId}/safety-summaries/{summary.Id}/report";
            db.Notifications.AddRange(readers.Select(id =>
                Notification.To(id, summary.TrialId, SummaryReadyKind, $"Safety summary ready: {trialCode}", body, summary.DataCutoff)));
        }

        private async Task<SafetySummaryInfo?> ExistingAsync(Command command, CancellationToken cancellationToken)
        {
            return await db.SafetySummaries.AsNoTracking()
                .Where(s => s.TrialId == command.TrialId && s.PeriodKey == command.Period)
                .Select(s => new SafetySummaryInfo(s.Id, s.TrialId, s.DataCutoff, s.GeneratedBy, s.GeneratedByJob, s.PeriodKey, s.ContentSha256))
                .SingleOrDefaultAsync(cancellationToken);
        }
    }
}

using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.Safety;
using Edc.Domain.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.AdverseEvents;

public static class RecordExpeditedReport
{
    public sealed record Body(ReportRecipient? Recipient, DateTimeOffset? SentAt);

    [AllowedRoles(Roles.Admin)]
    public sealed record Command(Guid TrialId, Guid AdverseEventId, ReportRecipient? Recipient, DateTimeOffset? SentAt) : IRequest<AdverseEventView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator()
        {
            RuleFor(c => c.Recipient).NotNull();
            RuleFor(c => c.SentAt).NotNull();
        }
    }

    /// <summary>
    /// Records when the report to the sponsor or the regulators was sent, which settles whether it was on time. It
    /// records a regulatory act, not clinical data, so it is allowed after the database lock.
    /// </summary>
    internal sealed class Handler(ForChange load, AdverseEventReader reader, TimeProvider clock) : IRequestHandler<Command, AdverseEventView>
    {
        public async Task<AdverseEventView> Handle(Command command, CancellationToken cancellationToken)
        {
            var adverseEvent = await load.AdverseEventAsync(command.TrialId, command.AdverseEventId, cancellationToken);
            var now = clock.GetUtcNow();
            adverseEvent.RecordReportSent(command.Recipient!.Value, command.SentAt!.Value.ToUniversalTime(), now);
            return AdverseEventView.From(adverseEvent, await reader.ScreeningNumberAsync(adverseEvent, cancellationToken), now);
        }
    }
}

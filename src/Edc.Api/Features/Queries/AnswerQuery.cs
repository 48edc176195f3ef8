using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Queries;

public static class AnswerQuery
{
    public sealed record Body(string? Text);

    [AllowedRoles(Roles.Coordinator, Roles.Investigator)]
    public sealed record Command(Guid TrialId, Guid QueryId, string? Text) : IRequest<QueryView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Text).NotEmpty().WithMessage("Write the answer.").MaximumLength(DataQuery.MaxTextLength);
    }

    /// <summary>The site answers a query (open, or answered already: a further answer): it becomes Answered and whoever raised it is told. A closed query takes no answer (409 QueryClosed).</summary>
    internal sealed class Handler(EdcDbContext db, CurrentUser user, QueryAuthors authors, QueryNotifications notifications, TimeProvider clock)
        : IRequestHandler<Command, QueryView>
    {
        public async Task<QueryView> Handle(Command command, CancellationToken cancellationToken)
        {
            var (query, screeningNumber) = await QueryLoading.ForChangeAsync(db, user, command.TrialId, command.QueryId, cancellationToken);
            var author = await authors.ActingAsAsync(QueryRoles.Answerers, cancellationToken);
            var now = clock.GetUtcNow();
            query.Answer(author, command.Text!, now);
            notifications.Answered(query, author, screeningNumber, now);
            return QueryView.From(query, screeningNumber);
        }
    }
}

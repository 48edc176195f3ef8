using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Queries;

public static class ReopenQuery
{
    public sealed record Body(string? Text);

    [AllowedRoles(Roles.Monitor, Roles.DataManager, Roles.Investigator, Roles.Coordinator)]
    public sealed record Command(Guid TrialId, Guid QueryId, string? Text) : IRequest<QueryView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Text).NotEmpty().WithMessage("Say why the query is reopened.").MaximumLength(DataQuery.MaxTextLength);
    }

    /// <summary>
    /// Reopens a closed query (409 QueryNotClosed otherwise), with a message: those who may close it may reopen it — a
    /// monitor or data manager, or whoever raised it (409 QueryNotYours for anyone else; an automatic query is reopened by
    /// a monitor or data manager only). The site's staff are not told again: the query is back in their inbox.
    /// </summary>
    internal sealed class Handler(EdcDbContext db, CurrentUser user, QueryAuthors authors, TimeProvider clock) : IRequestHandler<Command, QueryView>
    {
        public async Task<QueryView> Handle(Command command, CancellationToken cancellationToken)
        {
            var (query, screeningNumber) = await QueryLoading.ForChangeAsync(db, user, command.TrialId, command.QueryId, cancellationToken);
            var author = await authors.ActingAsAsync(QueryRoles.Raisers, cancellationToken);
            query.Reopen(author, command.Text!, clock.GetUtcNow());
            return QueryView.From(query, screeningNumber);
        }
    }
}

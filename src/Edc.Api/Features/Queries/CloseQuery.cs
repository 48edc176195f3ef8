using Edc.Api.Common.Changes;
using Edc.Api.Security;
using Edc.Domain.DataManagement;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;
using Edc.Infrastructure.Security;
using FluentValidation;
using MediatR;

namespace Edc.Api.Features.Queries;

public static class CloseQuery
{
    public sealed record Body(string? Comment);

    [AllowedRoles(Roles.Monitor, Roles.DataManager, Roles.Investigator, Roles.Coordinator)]
    public sealed record Command(Guid TrialId, Guid QueryId, string? Comment) : IRequest<QueryView>, ITrialChange
    {
        public string? Reason => null;
    }

    public sealed class Validator : AbstractValidator<Command>
    {
        public Validator() => RuleFor(c => c.Comment).NotEmpty().WithMessage("Say why the query is closed.").MaximumLength(DataQuery.MaxTextLength);
    }

    /// <summary>
    /// Closes a query, with a comment: a monitor or data manager closes any they may see, anyone else only one they raised
    /// (409 QueryNotYours otherwise); a closed query is not closed again (409 QueryClosed).
    /// </summary>
    internal sealed class Handler(EdcDbContext db, CurrentUser user, QueryAuthors authors, TimeProvider clock) : IRequestHandler<Command, QueryView>
    {
        public async Task<QueryView> Handle(Command command, CancellationToken cancellationToken)
        {
            var (query, screeningNumber) = await QueryLoading.ForChangeAsync(db, user, command.TrialId, command.QueryId, cancellationToken);
            var author = await authors.ActingAsAsync(QueryRoles.Raisers, cancellationToken);
            query.Close(author, command.Comment!, clock.GetUtcNow());
            return QueryView.From(query, screeningNumber);
        }
    }
}

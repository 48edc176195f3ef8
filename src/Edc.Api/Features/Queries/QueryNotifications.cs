using Edc.Api.Features.Notifications;
using Edc.Domain.DataManagement;
using Edc.Domain.Notifications;
using Edc.Domain.Security;
using Edc.Infrastructure.Persistence;

namespace Edc.Api.Features.Queries;

/// <summary>
/// Query notifications, queued in the outbox in the transaction of the step that causes them: a new query tells the
/// site's coordinators and investigators, an answer tells whoever raised the query (never the system). They name the
/// participant by screening number, the visit, form and item, and never an arm.
/// </summary>
internal sealed class QueryNotifications(EdcDbContext db)
{
    public const string RaisedKind = "QueryRaised";

    public const string AnsweredKind = "QueryAnswered";

    private readonly Dictionary<Guid, List<Guid>> _siteStaff = [];

    /// <summary>Queries raised on one participant by one change (a person's one, or the system's after a save).</summary>
    public async Task RaisedAsync(IReadOnlyList<DataQuery> queries, string screeningNumber, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (queries.Count == 0)
        {
            return;
        }

        var first = queries[0];
        var subject = queries.Count == 1
            ? $"New query: {screeningNumber}, {Where(first)}"
            : $"{queries.Count} new queries: {screeningNumber}";
        var body = $"Participant {screeningNumber} has {(queries.Count == 1 ? "a new query" : $"{queries.Count} new queries")} to answer:\n"
            + string.Join("\n", queries.Select(q => $"- {Where(q)}: {q.Messages[0].Text} (raised by {q.Messages[0].AuthorName})"));
        foreach (var recipient in (await SiteStaffAsync(first.SiteId, cancellationToken)).Where(r => r != first.RaisedBy))
        {
            db.Notifications.Add(Notification.To(recipient, first.TrialId, RaisedKind, subject, body, now));
        }
    }

    public void Answered(DataQuery query, QueryAuthor answeredBy, string screeningNumber, DateTimeOffset now)
    {
        if (query.RaisedBy is not { } raiser || raiser == answeredBy.UserId)
        {
            return;
        }

        var body = $"Your query on participant {screeningNumber}, {Where(query)}, was answered by {answeredBy.Name} ({answeredBy.Role}):\n"
            + $"{query.Messages[^1].Text}\nClose it if the answer settles it, or reopen it.";
        db.Notifications.Add(Notification.To(raiser, query.TrialId, AnsweredKind, $"Query answered: {screeningNumber}, {Where(query)}", body, now));
    }

    private static string Where(DataQuery query) =>
        string.Join(" ", new[] { query.VisitCode, query.FormCode, query.ItemCode }.OfType<string>());

    /// <summary>The active coordinators and investigators of the site; asked once per site in a unit of work.</summary>
    private async Task<List<Guid>> SiteStaffAsync(Guid siteId, CancellationToken cancellationToken)
    {
        if (!_siteStaff.TryGetValue(siteId, out var staff))
        {
            staff = await NotificationRecipients.WithRolesAsync(db, [], [Roles.Coordinator, Roles.Investigator], siteId, cancellationToken);
            _siteStaff[siteId] = staff;
        }

        return staff;
    }
}

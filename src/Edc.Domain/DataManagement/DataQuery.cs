using Edc.Domain.Common;

namespace Edc.Domain.DataManagement;

/// <summary>
/// A data query: a question about a form or one of its items, raised by a monitor, a data manager, site staff or the
/// system, answered by the site and closed once settled. Its thread keeps every message; a query is never deleted. A
/// closed query takes no answer until it is reopened. An automatic query is raised once per item and reason, and the
/// system closes it when the value is corrected, saying so in the thread.
/// </summary>
public sealed class DataQuery : VersionedRecord, ITrialScoped, ISiteScoped
{
    public const int MaxTextLength = 4000;

    private readonly List<QueryMessage> _messages = [];

    private DataQuery()
    {
    }

    public Guid Id { get; private set; }

    public Guid TrialId { get; private set; }

    public Guid SiteId { get; private set; }

    public Guid ParticipantId { get; private set; }

    public string? VisitCode { get; private set; }

    public string FormCode { get; private set; } = string.Empty;

    public string? ItemCode { get; private set; }

    public Guid? LogEntryId { get; private set; }

    public QueryStatus Status { get; private set; }

    /// <summary>Who raised it; null when the system did.</summary>
    public Guid? RaisedBy { get; private set; }

    public DateTimeOffset RaisedAt { get; private set; }

    public AutomaticQueryKind? Automatic { get; private set; }

    public IReadOnlyList<QueryMessage> Messages => _messages;

    public static DataQuery Raise(QueryTarget target, QueryAuthor author, string text, DateTimeOffset now) =>
        Create(target, author, text, automatic: null, now);

    public static DataQuery RaiseAutomatically(QueryTarget target, AutomaticQueryKind kind, string text, DateTimeOffset now)
    {
        // A value out of range is one item's; a form never entered is missing as a whole.
        if (target.ItemCode is null && kind != AutomaticQueryKind.MissingRequired)
        {
            throw new ArgumentException("An automatic query about a value is about one item.", nameof(target));
        }

        return Create(target, QueryAuthor.System, text, kind, now);
    }

    public void Answer(QueryAuthor author, string text, DateTimeOffset now)
    {
        Require(Status != QueryStatus.Closed, RuleCodes.QueryClosed, "The query is closed: reopen it to answer.");
        Add(QueryMessageKind.Answered, text, author, now, QueryStatus.Answered);
    }

    public void Close(QueryAuthor author, string comment, DateTimeOffset now)
    {
        Require(Status != QueryStatus.Closed, RuleCodes.QueryClosed, "The query is already closed.");
        if (!author.IsSystem && !author.MayClose(this))
        {
            throw new RuleViolationException(RuleCodes.QueryNotYours, "Only a monitor, a data manager or whoever raised the query closes it.");
        }

        Add(QueryMessageKind.Closed, comment, author, now, QueryStatus.Closed);
    }

    /// <summary>Those who may close a query may reopen it.</summary>
    public void Reopen(QueryAuthor author, string text, DateTimeOffset now)
    {
        Require(Status == QueryStatus.Closed, RuleCodes.QueryNotClosed, "Only a closed query is reopened.");
        Require(author.MayClose(this), RuleCodes.QueryNotYours, "Only a monitor, a data manager or whoever raised the query reopens it.");
        Add(QueryMessageKind.Reopened, text, author, now, QueryStatus.Open);
    }

    private static DataQuery Create(QueryTarget target, QueryAuthor author, string text, AutomaticQueryKind? automatic, DateTimeOffset now)
    {
        if ((target.VisitCode is null) == (target.LogEntryId is null))
        {
            throw new ArgumentException("A query is about a visit's form or a log entry: one of them.", nameof(target));
        }

        var query = new DataQuery
        {
            Id = Guid.NewGuid(),
            TrialId = target.TrialId,
            SiteId = target.SiteId,
            ParticipantId = target.ParticipantId,
            VisitCode = target.VisitCode,
            FormCode = target.FormCode,
            ItemCode = target.ItemCode,
            LogEntryId = target.LogEntryId,
            RaisedBy = author.UserId,
            RaisedAt = now,
            Automatic = automatic,
        };
        query.Add(QueryMessageKind.Raised, text, author, now, QueryStatus.Open);
        return query;
    }

    private void Add(QueryMessageKind kind, string text, QueryAuthor author, DateTimeOffset now, QueryStatus status)
    {
        if (string.IsNullOrWhiteSpace(text) || text.Length > MaxTextLength)
        {
            throw new ArgumentException($"A query's message has 1 to {MaxTextLength} characters.", nameof(text));
        }

        _messages.Add(new QueryMessage(Id, kind, text.Trim(), author, now));
        Status = status;
        CountVersion();
    }

    private static void Require(bool condition, string rule, string message)
    {
        if (!condition)
        {
            throw new RuleViolationException(rule, message);
        }
    }
}

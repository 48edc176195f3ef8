namespace Edc.Domain.DataManagement;

/// <summary>One message of a query's thread, as written: messages are never changed or removed.</summary>
public sealed class QueryMessage
{
    private QueryMessage()
    {
    }

    internal QueryMessage(Guid queryId, QueryMessageKind kind, string text, QueryAuthor author, DateTimeOffset at)
    {
        Id = Guid.NewGuid();
        QueryId = queryId;
        Kind = kind;
        Text = text;
        AuthorId = author.UserId;
        AuthorName = author.Name;
        AuthorRole = author.Role;
        At = at;
    }

    public Guid Id { get; private set; }

    public Guid QueryId { get; private set; }

    public QueryMessageKind Kind { get; private set; }

    public string Text { get; private set; } = string.Empty;

    /// <summary>The user who wrote it; null for the system.</summary>
    public Guid? AuthorId { get; private set; }

    public string AuthorName { get; private set; } = string.Empty;

    public string AuthorRole { get; private set; } = string.Empty;

    public DateTimeOffset At { get; private set; }
}

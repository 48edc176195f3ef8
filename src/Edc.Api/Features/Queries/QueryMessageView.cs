using Edc.Domain.DataManagement;

namespace Edc.Api.Features.Queries;

/// <summary>One message of a query's thread: who wrote it (name, or "system"), in which role, when (UTC), what, and what it did.</summary>
public sealed record QueryMessageView(string Who, string Role, DateTimeOffset When, string Text, QueryMessageKind Kind)
{
    public static QueryMessageView From(QueryMessage message) => new(message.AuthorName, message.AuthorRole, message.At, message.Text, message.Kind);
}

using Edc.Domain.DataManagement;

namespace Edc.Api.Features.Queries;

/// <summary>A query with its whole thread, oldest message first. <c>raisedBy</c> is the raiser's name, or "system" (<c>raisedById</c> null).</summary>
public sealed record QueryView(
    Guid Id,
    Guid TrialId,
    Guid SiteId,
    Guid ParticipantId,
    string ScreeningNumber,
    string? VisitCode,
    string FormCode,
    string? ItemCode,
    Guid? LogEntryId,
    QueryStatus Status,
    string RaisedBy,
    Guid? RaisedById,
    DateTimeOffset RaisedAt,
    AutomaticQueryKind? Automatic,
    IReadOnlyList<QueryMessageView> Messages)
{
    public static QueryView From(DataQuery query, string screeningNumber)
    {
        var messages = query.Messages.OrderBy(m => m.At).ThenBy(m => m.Kind).ToList();
        return new(
            query.Id, query.TrialId, query.SiteId, query.ParticipantId, screeningNumber, query.VisitCode, query.FormCode, query.ItemCode, query.LogEntryId,
            query.Status, messages[0].AuthorName, query.RaisedBy, query.RaisedAt, query.Automatic, [.. messages.Select(QueryMessageView.From)]);
    }
}

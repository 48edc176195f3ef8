using Edc.Domain.DataManagement;

namespace Edc.Api.Features.Queries;

/// <summary>A query in a list: what it is about, its status, who raised it and its question, and when it last moved.</summary>
public sealed record QuerySummary(
    Guid Id,
    Guid SiteId,
    Guid ParticipantId,
    string ScreeningNumber,
    string? VisitCode,
    string FormCode,
    string? ItemCode,
    Guid? LogEntryId,
    QueryStatus Status,
    string RaisedBy,
    DateTimeOffset RaisedAt,
    AutomaticQueryKind? Automatic,
    string Text,
    DateTimeOffset LastActivityAt);

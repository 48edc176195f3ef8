using System.Text.Json.Serialization;
using Edc.Domain.Notifications;

namespace Edc.Api.Features.Notifications;

public sealed record NotificationView(
    Guid Id,
    string Kind,
    string Subject,
    string Body,
    Guid? TrialId,
    DateTimeOffset CreatedAt,
    DateTimeOffset? DeliveredAt,
    int Attempts,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? LastError,
    NotificationStatus Status);

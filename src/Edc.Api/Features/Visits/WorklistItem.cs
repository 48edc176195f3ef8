using System.Text.Json.Serialization;

namespace Edc.Api.Features.Visits;

public sealed record WorklistItem(
    Guid ParticipantId,
    string ScreeningNumber,
    Guid SiteId,
    string VisitCode,
    string VisitName,
    DateOnly? TargetDate,
    DateOnly WindowStart,
    DateOnly WindowEnd,
    [property: JsonConverter(typeof(JsonStringEnumConverter<VisitUrgency>))] VisitUrgency Urgency,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysOverdue,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysLeft,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] int? DaysUntilWindowOpens);

using System.Text.Json.Serialization;

namespace Edc.Api.Features.AdverseEvents;

/// <summary>The adverse event form as the client sends it, for a new event and for each new version.</summary>
public sealed record AdverseEventBody : AdverseEventForm
{
    // After the form's fields, as the contract has it.
    [JsonPropertyOrder(1)]
    public string? Reason { get; init; }
}

using Edc.Domain.Participants;

namespace Edc.Api.Features.Visits;

/// <summary>One participant of the grid, with a cell per column in the columns' order.</summary>
public sealed record VisitGridRow(Guid ParticipantId, string ScreeningNumber, Guid SiteId, ParticipantStatus Status, IReadOnlyList<VisitGridCell> Cells);

namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>The infusion form as posted: given (when and which kit) or not given (why).</summary>
public sealed class InfusionForm
{
    /// <summary>"yes" when given, "no" when not.</summary>
    public string? Given { get; set; }

    /// <summary>A datetime-local value, read as UTC (the label says so).</summary>
    public string? AdministeredAt { get; set; }

    public string? KitNumber { get; set; }

    public string? NotAdministeredReason { get; set; }

    public string? Reason { get; set; }

    public int? Version { get; set; }
}

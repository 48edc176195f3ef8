namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>The adverse-event form as posted; the seriousness criteria (several checkboxes of one name) are read from the form itself.</summary>
public sealed class AdverseEventInput
{
    public string? Term { get; set; }

    public DateOnly? OnsetDate { get; set; }

    public DateOnly? EndDate { get; set; }

    public bool Ongoing { get; set; }

    public int? Grade { get; set; }

    public bool Serious { get; set; }

    public string? Relatedness { get; set; }

    /// <summary>"yes", "no" or blank (not assessed).</summary>
    public string? Expected { get; set; }

    public string? ActionTaken { get; set; }

    public string? Outcome { get; set; }

    /// <summary>A datetime-local value read as UTC; blank means now.</summary>
    public string? AwarenessDate { get; set; }

    public string? Reason { get; set; }
}

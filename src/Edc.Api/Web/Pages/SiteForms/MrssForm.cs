namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>The MRSS form's single fields; the 17 scores are read from the posted form by area key.</summary>
public sealed class MrssForm
{
    public DateOnly? AssessedOn { get; set; }

    public string? AssessorName { get; set; }

    public string? Reason { get; set; }

    /// <summary>The version the edit was made from, sent back as If-Match.</summary>
    public int? Version { get; set; }
}

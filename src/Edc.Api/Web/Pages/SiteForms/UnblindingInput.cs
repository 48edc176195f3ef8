namespace Edc.Api.Web.Pages.SiteForms;

/// <summary>The emergency unblinding form: why, and the investigator's own password again.</summary>
public sealed class UnblindingInput
{
    public string? Reason { get; set; }

    public string? Password { get; set; }
}

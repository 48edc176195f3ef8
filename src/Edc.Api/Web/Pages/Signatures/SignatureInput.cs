namespace Edc.Api.Web.Pages.Signatures;

/// <summary>The signing form: the meaning chosen, and the investigator's own password again (the signature's second component).</summary>
public sealed class SignatureInput
{
    public string? Meaning { get; set; }

    public string? Password { get; set; }
}

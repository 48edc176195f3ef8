namespace Edc.Api.Web.Pages.Forms;

/// <summary>A form's own fields beside its items (read by name from the post: <see cref="EnteredValues"/>).</summary>
public sealed class FormInput
{
    /// <summary>The version the edit was made from, sent back as If-Match; none for a first save.</summary>
    public int? Version { get; set; }

    public string? Reason { get; set; }
}

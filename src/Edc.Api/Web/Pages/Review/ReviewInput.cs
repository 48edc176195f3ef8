namespace Edc.Api.Web.Pages.Review;

/// <summary>
/// A data-management action posted from a page: which form it is about (<c>VISIT|FORM</c>, from the button pressed) or
/// which way it goes (freeze or unfreeze, lock or unlock), and the reason where one is asked.
/// </summary>
public sealed class ReviewInput
{
    public string? Target { get; set; }

    public string? Action { get; set; }

    public string? Reason { get; set; }
}

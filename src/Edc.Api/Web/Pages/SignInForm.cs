namespace Edc.Api.Web.Pages;

/// <summary>What the sign-in page's form posts.</summary>
public sealed class SignInForm
{
    public string? Email { get; set; }

    public string? Password { get; set; }
}

using Edc.Domain.Forms;

namespace Edc.Api.Web.Pages.Forms;

/// <summary>A form's status as words.</summary>
public static class FormStatusWords
{
    public static string Of(FormStatus status) => status switch
    {
        FormStatus.NotStarted => "Not started",
        FormStatus.InProgress => "In progress",
        _ => "Complete",
    };
}

using Edc.Domain.Forms;

namespace Edc.Api.Web.Pages.Forms;

/// <summary>Where a form is opened: the MRSS and the infusion on their own entry pages for those who enter data, any other on the form's page.</summary>
public static class FormAddresses
{
    public static string VisitForm(Guid trialId, Guid participantId, string visitCode, string formCode, bool dataEntry)
    {
        var visit = $"/trials/{trialId}/participants/{participantId}/visits/{Uri.EscapeDataString(visitCode)}";
        return (formCode, dataEntry) switch
        {
            (BuiltInFormCodes.Mrss, true) => $"{visit}/mrss",
            (BuiltInFormCodes.Infusion, true) => $"{visit}/infusion",
            _ => $"{visit}/forms/{Uri.EscapeDataString(formCode)}",
        };
    }

    public static string Log(Guid trialId, Guid participantId, string formCode) =>
        $"/trials/{trialId}/participants/{participantId}/logs/{Uri.EscapeDataString(formCode)}";

    /// <summary>The form's name as people know it: the MRSS by its abbreviation first.</summary>
    public static string Title(string formCode, string name) => formCode == BuiltInFormCodes.Mrss ? $"MRSS ({char.ToLowerInvariant(name[0])}{name[1..]})" : name;
}

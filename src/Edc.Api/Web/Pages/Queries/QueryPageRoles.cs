using Edc.Domain.Security;

namespace Edc.Api.Web.Pages.Queries;

/// <summary>Who opens the query pages and sees the queries beside a form's fields, as the API lets them read queries.</summary>
public static class QueryPageRoles
{
    public const string Readers = Roles.Admin + "," + Roles.Coordinator + "," + Roles.Investigator + "," + Roles.Monitor + "," + Roles.DataManager;
}
